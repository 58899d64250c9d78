//! The configuration flags both faces accept, so the desktop shell and the CLI spell them alike.

use std::path::PathBuf;

use clap::Args;

use crate::config::{Key, Sources, parse_assignment};

#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// Data directory (vault, logs); overrides IRIS_DATA_DIR and the config file.
    #[arg(long, value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,

    /// Models directory; overrides IRIS_MODELS_DIR and the config file.
    #[arg(long, value_name = "DIR", global = true)]
    pub models_dir: Option<PathBuf>,

    /// User configuration file (default: the OS config dir); overrides IRIS_CONFIG.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,

    /// Override any setting, e.g. --set log_level=debug (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", global = true, value_parser = parse_assignment)]
    pub set: Vec<(Key, String)>,
}

impl ConfigArgs {
    /// Configuration sources for this process: OS paths, `IRIS_*` variables and these flags.
    pub fn sources(&self) -> Sources {
        let mut flags = Vec::new();
        if let Some(d) = &self.data_dir {
            flags.push((
                "--data-dir".to_string(),
                Key::DataDir,
                d.to_string_lossy().into_owned(),
            ));
        }
        if let Some(d) = &self.models_dir {
            flags.push((
                "--models-dir".to_string(),
                Key::ModelsDir,
                d.to_string_lossy().into_owned(),
            ));
        }
        for (key, value) in &self.set {
            flags.push((format!("--set {}", key.name()), *key, value.clone()));
        }
        Sources::from_process(flags, self.config.clone())
    }
}
