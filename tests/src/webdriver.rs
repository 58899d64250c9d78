//! tauri-driver (in front of Debian's WebKitWebDriver) and a minimal W3C WebDriver client: just
//! the endpoints the suite uses, over ureq.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

/// The key under which W3C WebDriver returns element references.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running tauri-driver; killed when dropped.
#[derive(Debug)]
pub struct Driver {
    child: Child,
    base: String,
    /// tauri-driver's (and so the app's) stderr, shown when something fails.
    log: tempfile::NamedTempFile,
}

/// Two distinct free ports (both listeners are held while the second is chosen).
fn free_ports() -> Result<(u16, u16)> {
    let a = TcpListener::bind("127.0.0.1:0")?;
    let b = TcpListener::bind("127.0.0.1:0")?;
    Ok((a.local_addr()?.port(), b.local_addr()?.port()))
}

fn find_tauri_driver() -> Result<PathBuf> {
    let candidates = [
        std::env::var_os("TAURI_DRIVER").map(PathBuf::from),
        std::env::var_os("CARGO_HOME").map(|h| PathBuf::from(h).join("bin/tauri-driver")),
        std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin/tauri-driver")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
        .or_else(|| {
            Some(PathBuf::from("tauri-driver"))
                .filter(|p| Command::new(p).arg("--help").output().is_ok())
        })
        .ok_or_else(|| anyhow!("tauri-driver not found (`cargo xtask setup` installs it)"))
}

impl Driver {
    /// Starts tauri-driver on free ports, showing windows on `display`.
    pub fn start(display: &str) -> Result<Driver> {
        let native = Path::new("/usr/bin/WebKitWebDriver");
        if !native.exists() {
            bail!(
                "WebKitWebDriver not found (apt package webkit2gtk-driver; `cargo xtask setup` installs it)"
            );
        }
        let (port, native_port) = free_ports()?;
        let log = tempfile::NamedTempFile::new()?;
        let mut cmd = Command::new(find_tauri_driver()?);
        // The app inherits this environment: none of the developer's IRIS_* settings and no
        // policy file may reach it.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("IRIS_") {
                cmd.env_remove(&key);
            }
        }
        let child = cmd
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
                "--native-driver",
            ])
            .arg(native)
            .env("DISPLAY", display)
            .env(
                "IRIS_POLICY_FILE",
                log.path().with_extension("no-policy.toml"),
            )
            .stdout(Stdio::null())
            .stderr(log.reopen()?)
            .spawn()
            .context("could not start tauri-driver")?;
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if ureq::get(&format!("{}/status", driver.base)).call().is_ok() {
                return Ok(driver);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!(
            "tauri-driver did not answer on port {port}; its stderr:\n{}",
            driver.log_tail()
        )
    }

    /// The last lines tauri-driver and the app wrote to stderr.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(self.log.path()).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Launches `app` with `args` and opens a WebDriver session on its main window.
    pub fn session(&self, app: &Path, args: &[String]) -> Result<Session> {
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": app, "args": args}
        }}});
        let v = post(&format!("{}/session", self.base), &caps)
            .with_context(|| format!("driver stderr:\n{}", self.log_tail()))?;
        let id = v["value"]["sessionId"]
            .as_str()
            .ok_or_else(|| anyhow!("no sessionId in {v}"))?
            .to_string();
        Ok(Session {
            url: format!("{}/session/{id}", self.base),
        })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        crate::terminate(&mut self.child);
    }
}

fn post(url: &str, body: &Value) -> Result<Value> {
    let resp = ureq::post(url)
        .config()
        .http_status_as_error(false)
        .build()
        .send_json(body)?;
    decode(url, resp)
}

fn get(url: &str) -> Result<Value> {
    let resp = ureq::get(url)
        .config()
        .http_status_as_error(false)
        .build()
        .call()?;
    decode(url, resp)
}

fn decode(url: &str, mut resp: ureq::http::Response<ureq::Body>) -> Result<Value> {
    let status = resp.status();
    let v: Value = resp
        .body_mut()
        .read_json()
        .with_context(|| format!("{url}: not JSON"))?;
    if !status.is_success() {
        bail!("{url}: HTTP {status}: {}", v["value"]);
    }
    Ok(v)
}

/// One app instance under WebDriver control; closing the session quits the app.
#[derive(Debug)]
pub struct Session {
    url: String,
}

/// A reference to a DOM element.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Session {
    /// Finds the first element matching a CSS selector, waiting up to `timeout` for it.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Result<Element> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.find(css) {
                Ok(e) => return Ok(e),
                Err(e) if Instant::now() >= deadline => {
                    return Err(e.context(format!("waiting for {css}")));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    pub fn find(&self, css: &str) -> Result<Element> {
        let v = post(
            &format!("{}/element", self.url),
            &json!({"using": "css selector", "value": css}),
        )?;
        let id = v["value"][ELEMENT_KEY]
            .as_str()
            .ok_or_else(|| anyhow!("no element for {css}"))?;
        Ok(Element(id.to_string()))
    }

    pub fn text(&self, e: &Element) -> Result<String> {
        let v = get(&format!("{}/element/{}/text", self.url, e.0))?;
        Ok(v["value"].as_str().unwrap_or_default().to_string())
    }

    pub fn attribute(&self, e: &Element, name: &str) -> Result<Option<String>> {
        let v = get(&format!("{}/element/{}/attribute/{name}", self.url, e.0))?;
        Ok(v["value"].as_str().map(String::from))
    }

    pub fn click(&self, e: &Element) -> Result<()> {
        post(&format!("{}/element/{}/click", self.url, e.0), &json!({}))?;
        Ok(())
    }

    /// Types `text` into the element matching `css` (W3C Element Send Keys), after clearing it.
    pub fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let e = self.find(css)?;
        post(&format!("{}/element/{}/clear", self.url, e.0), &json!({}))?;
        post(
            &format!("{}/element/{}/value", self.url, e.0),
            &json!({"text": text}),
        )?;
        Ok(())
    }

    /// Clicks the element matching `css`.
    pub fn click_on(&self, css: &str) -> Result<()> {
        let e = self.find(css)?;
        self.click(&e)
    }

    /// Waits until the element matching `css` exists and its text contains `needle`.
    pub fn wait_for_text(&self, css: &str, needle: &str, timeout: Duration) -> Result<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let text = self.find(css).and_then(|e| self.text(&e));
            match text {
                Ok(t) if t.contains(needle) => return Ok(t),
                other if Instant::now() >= deadline => {
                    bail!("{css} never contained {needle:?}; last: {other:?}")
                }
                _ => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    pub fn title(&self) -> Result<String> {
        Ok(get(&format!("{}/title", self.url))?["value"]
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// Runs an async script; it finishes by calling its last argument with the result.
    pub fn execute_async(&self, script: &str) -> Result<Value> {
        Ok(post(
            &format!("{}/execute/async", self.url),
            &json!({"script": script, "args": []}),
        )?["value"]
            .clone())
    }

    pub fn execute(&self, script: &str) -> Result<Value> {
        Ok(post(
            &format!("{}/execute/sync", self.url),
            &json!({"script": script, "args": []}),
        )?["value"]
            .clone())
    }

    /// Sends key presses to the focused element (W3C key codes, e.g. "\u{E004}" for Tab).
    pub fn keys(&self, keys: &str) -> Result<()> {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                [
                    json!({"type": "keyDown", "value": c.to_string()}),
                    json!({"type": "keyUp", "value": c.to_string()}),
                ]
            })
            .collect();
        post(
            &format!("{}/actions", self.url),
            &json!({"actions": [{"type": "key", "id": "kbd", "actions": actions}]}),
        )?;
        Ok(())
    }

    /// Presses `key` while holding a modifier (W3C key codes: "\u{E00A}" Alt, "\u{E009}"
    /// Control), as a person types a shortcut.
    pub fn chord(&self, modifier: &str, key: &str) -> Result<()> {
        let actions = json!([
            {"type": "keyDown", "value": modifier},
            {"type": "keyDown", "value": key},
            {"type": "keyUp", "value": key},
            {"type": "keyUp", "value": modifier},
        ]);
        post(
            &format!("{}/actions", self.url),
            &json!({"actions": [{"type": "key", "id": "kbd", "actions": actions}]}),
        )?;
        Ok(())
    }

    /// The id of the focused element ("" when none has one).
    pub fn focused_id(&self) -> Result<String> {
        Ok(self
            .execute("return document.activeElement ? document.activeElement.id : ''")?
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// A PNG of the window's content.
    pub fn screenshot_png(&self) -> Result<Vec<u8>> {
        let v = get(&format!("{}/screenshot", self.url))?;
        let b64 = v["value"]
            .as_str()
            .ok_or_else(|| anyhow!("no screenshot data"))?;
        decode_base64(b64)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = ureq::delete(&self.url).call();
    }
}

fn decode_base64(s: &str) -> Result<Vec<u8>> {
    let val = |c: u8| -> Result<u32> {
        Ok(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => bail!("invalid base64 byte {c}"),
        } as u32)
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= val(c)? << (18 - 6 * i);
        }
        let take = chunk.len().saturating_sub(1);
        out.extend_from_slice(&n.to_be_bytes()[1..1 + take]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(super::decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(super::decode_base64("aGk").unwrap(), b"hi");
        assert_eq!(super::decode_base64("").unwrap(), b"");
        assert!(super::decode_base64("a$").is_err());
    }
}
