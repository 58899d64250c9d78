//! A private virtual X display for one test run or one screenshot.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// An Xvfb server; killed when dropped.
#[derive(Debug)]
pub struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    /// Starts Xvfb at 1280×800×24 on the first free display number from :90.
    pub fn start() -> Result<Xvfb> {
        for n in 90..140 {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                || Path::new(&format!("/tmp/.X{n}-lock")).exists()
            {
                continue;
            }
            let display = format!(":{n}");
            let mut child = Command::new("Xvfb")
                .args([
                    display.as_str(),
                    "-screen",
                    "0",
                    "1280x800x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .context(
                    "could not start Xvfb (apt package xvfb; `cargo xtask setup` installs it)",
                )?;
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                    return Ok(Xvfb { child, display });
                }
                if child.try_wait()?.is_some() {
                    break; // lost a race for this display number; try the next
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        bail!("no free X display between :90 and :139")
    }

    /// The `DISPLAY` value, e.g. `:90`.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// Captures the whole screen to a PNG with ImageMagick's `import`.
    pub fn screenshot(&self, out: &Path) -> Result<()> {
        let status = Command::new("import")
            .args(["-window", "root"])
            .arg(out)
            .env("DISPLAY", &self.display)
            .status()
            .context("could not run `import` (apt package imagemagick)")?;
        anyhow::ensure!(status.success(), "import failed ({status})");
        Ok(())
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        crate::terminate(&mut self.child);
    }
}
