use serde::{Deserialize, Serialize};

use crate::Command;

/// `about`: what is running, where its files are, and which policy governs it.
#[derive(Debug, Clone, Copy)]
pub struct About;

impl Command for About {
    const NAME: &'static str = "about";
    type Req = AboutRequest;
    type Res = AboutDto;
}

/// `about` takes no parameters; unknown fields are refused so a caller's typo is an error, not
/// silently ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AboutRequest {}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AboutDto {
    /// Semantic version of the running build.
    pub version: String,
    /// `debug` or `release`.
    pub build_profile: String,
    /// Operating system and architecture the binary was built for, e.g. `linux-x86_64`.
    pub target: String,
    pub data_dir: String,
    pub models_dir: String,
    pub log_dir: String,
    /// The user configuration file that was read, if one exists.
    pub config_file: Option<String>,
    pub policy: PolicyDto,
    /// Every setting with its effective value and where the value came from.
    pub settings: Vec<SettingDto>,
    /// Inference devices compiled into this build, in order of preference (always ends in `cpu`).
    pub inference_devices: Vec<String>,
    /// The device chosen for models and the state of each model.
    #[serde(default)]
    pub inference: crate::ai::InferenceDto,
}

/// The system policy file (written by hospital IT) as it applies to this process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDto {
    /// Where this build looks for the policy file.
    pub path: String,
    /// Whether a policy file was found there and applied.
    pub present: bool,
    /// Setting keys the policy locks: nothing else can override them.
    pub locked: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingDto {
    pub key: String,
    pub value: String,
    pub source: SettingSource,
    pub locked: bool,
}

/// Where an effective setting value came from, lowest precedence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingSource {
    Default,
    Policy,
    UserConfig,
    Environment,
    Flag,
}

impl SettingSource {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Default => "built-in default",
            Self::Policy => "system policy",
            Self::UserConfig => "user config",
            Self::Environment => "environment",
            Self::Flag => "command line",
        }
    }
}
