//! Launching the desktop app: for a person (`run`), for the README screenshot, and for the
//! start-up benchmark.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use iris_tests::display::Xvfb;

use crate::{cargo, step, target_dir};

fn build_desktop(release: bool) -> Result<PathBuf> {
    step(&format!(
        "building the desktop app ({})",
        if release { "release" } else { "debug" }
    ));
    let mut args = vec!["build", "-p", "iris-desktop"];
    if release {
        args.push("--release");
    }
    cargo(&args)?;
    Ok(target_dir()
        .join(if release { "release" } else { "debug" })
        .join("iris-desktop"))
}

fn has_display() -> bool {
    std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
}

/// The data dir `cargo xtask run` uses unless given `--data-dir`: a demo vault of its own
/// (`~/.local/share/iris-demo` on Linux), so a real data dir never receives demo data.
pub fn demo_data_dir() -> Result<PathBuf> {
    let base = directories::BaseDirs::new().context("no home directory")?;
    Ok(base.data_dir().join("iris-demo"))
}

/// The app's arguments for `run`: the caller's, or the demo data dir with `--demo` (seeded
/// with synthetic patients on first launch).
pub fn run_args(args: &[String]) -> Result<Vec<String>> {
    if args
        .iter()
        .any(|a| a == "--data-dir" || a.starts_with("--data-dir="))
    {
        return Ok(args.to_vec());
    }
    let mut out = vec![
        "--data-dir".to_string(),
        demo_data_dir()?.display().to_string(),
        "--demo".to_string(),
    ];
    out.extend_from_slice(args);
    Ok(out)
}

/// Builds and opens Iris. Without a display (a server, CI) the window opens on a private Xvfb
/// screen, and the way to look at it is printed.
pub fn desktop(args: &[String]) -> Result<()> {
    let bin = build_desktop(false)?;
    let demo = args.iter().any(|a| a == "--demo");
    let xvfb = if has_display() {
        None
    } else {
        Some(Xvfb::start()?)
    };
    let mut cmd = Command::new(&bin);
    cmd.args(args);
    if demo {
        // Demo vaults are keyed by a documented passphrase (the app uses it with --demo), so
        // they open without a keyring.
        eprintln!(
            "xtask: demo data (synthetic patients) in {}",
            demo_data_dir()?.display()
        );
        eprintln!("       sign in as:");
        for (user, password, role) in iris_config::demo::DEMO_ACCOUNTS {
            eprintln!("         {user:<12} {password:<26} ({role})");
        }
    }
    if let Some(x) = &xvfb {
        eprintln!(
            "xtask: no display found; Iris runs on the virtual display {0}.\n       See it with: DISPLAY={0} import -window root iris.png",
            x.display()
        );
        cmd.env("DISPLAY", x.display());
    }
    step("starting Iris");
    let status = cmd
        .status()
        .with_context(|| format!("could not start {}", bin.display()))?;
    if !status.success() {
        bail!("iris-desktop exited with {status}");
    }
    Ok(())
}

/// The app under Xvfb with its own data dir, killed on drop.
struct Instance {
    child: Child,
    data_dir: tempfile::TempDir,
}

impl Instance {
    fn start(bin: &Path, xvfb: &Xvfb, extra: &[String]) -> Result<(Instance, Instant)> {
        let data_dir = tempfile::tempdir()?;
        let config = data_dir.path().join("config.toml");
        std::fs::write(&config, "")?;
        let t0 = Instant::now();
        let child = Command::new(bin)
            .arg("--data-dir")
            .arg(data_dir.path().join("data"))
            .arg("--config")
            .arg(&config)
            .args(extra)
            .env("DISPLAY", xvfb.display())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        Ok((Instance { child, data_dir }, t0))
    }

    /// Waits for the log line the core writes when it serves the UI's first command, which the
    /// UI sends as soon as it has mounted; returns the in-process figure it carries.
    fn wait_first_paint(&mut self, timeout: Duration) -> Result<f64> {
        let logs = self.data_dir.path().join("data/logs");
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                bail!("iris-desktop exited early ({status})");
            }
            for entry in std::fs::read_dir(&logs).into_iter().flatten().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                if let Some(line) = text.lines().find(|l| l.contains("first command served")) {
                    let ms = line
                        .split("since_start_ms=")
                        .nth(1)
                        .and_then(|r| r.split_whitespace().next())
                        .and_then(|v| v.trim_matches('"').parse().ok())
                        .unwrap_or(f64::NAN);
                    return Ok(ms);
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        bail!("the UI did not reach the backend within {timeout:?}")
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Takes a screenshot of the running app (whole Xvfb screen, 1280×800) for the README.
pub fn screenshot(out: &Path, extra: &[String]) -> Result<()> {
    let bin = build_desktop(false)?;
    let xvfb = Xvfb::start()?;
    let (mut app, _) = Instance::start(&bin, &xvfb, extra)?;
    app.wait_first_paint(Duration::from_secs(60))?;
    // Let the answer render and fonts settle.
    std::thread::sleep(Duration::from_secs(2));
    xvfb.screenshot(out)?;
    eprintln!("xtask: wrote {}", out.display());
    Ok(())
}

/// Cold start to first paint and idle memory of the release build, over several launches.
pub fn bench_startup() -> Result<()> {
    let bin = build_desktop(true)?;
    let xvfb = Xvfb::start()?;
    const RUNS: usize = 5;
    let mut rows = Vec::new();
    for run in 1..=RUNS {
        let (mut app, t0) = Instance::start(&bin, &xvfb, &[])?;
        let inside = app.wait_first_paint(Duration::from_secs(60))?;
        let outside = t0.elapsed().as_secs_f64() * 1000.0;
        std::thread::sleep(Duration::from_secs(10));
        let mem = tree_memory(app.child.id())?;
        eprintln!(
            "run {run}: first paint {outside:.0} ms after spawn ({inside:.0} ms after main), idle: app RSS {:.1} MiB, {} processes RSS {:.1} MiB / PSS {:.1} MiB",
            mem.main_rss_kib as f64 / 1024.0,
            mem.processes,
            mem.tree_rss_kib as f64 / 1024.0,
            mem.tree_pss_kib as f64 / 1024.0
        );
        rows.push((outside, inside, mem));
    }
    let stat = |f: &dyn Fn(&(f64, f64, Memory)) -> f64| {
        let mut v: Vec<f64> = rows.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        (v[0], v[v.len() / 2], v[v.len() - 1])
    };
    let print = |name: &str, (min, med, max): (f64, f64, f64), unit: &str| {
        println!("| {name} | {min:.1} | {med:.1} | {max:.1} | {unit} |");
    };
    println!(
        "| measure ({RUNS} launches, release build) | min | median | max | unit |\n|---|---|---|---|---|"
    );
    print(
        "spawn → first paint (UI mounted, first IPC served)",
        stat(&|r| r.0),
        "ms",
    );
    print("main() → first paint", stat(&|r| r.1), "ms");
    print(
        "idle RSS, iris-desktop process",
        stat(&|r| r.2.main_rss_kib as f64 / 1024.0),
        "MiB",
    );
    print(
        "idle RSS, app + WebKit processes",
        stat(&|r| r.2.tree_rss_kib as f64 / 1024.0),
        "MiB",
    );
    print(
        "idle PSS, app + WebKit processes",
        stat(&|r| r.2.tree_pss_kib as f64 / 1024.0),
        "MiB",
    );
    Ok(())
}

#[derive(Debug, Clone, Copy)]
struct Memory {
    main_rss_kib: u64,
    tree_rss_kib: u64,
    tree_pss_kib: u64,
    processes: usize,
}

/// RSS and PSS of a process and all its descendants (WebKit's web and network processes).
fn tree_memory(root: u32) -> Result<Memory> {
    let mut parent = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir("/proc")?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
        let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
        if let Some(ppid) = after
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok())
        {
            parent.insert(pid, ppid);
        }
    }
    let in_tree = |mut pid: u32| {
        while pid > 1 {
            if pid == root {
                return true;
            }
            pid = parent.get(&pid).copied().unwrap_or(0);
        }
        false
    };
    let field = |pid: u32, file: &str, key: &str| -> u64 {
        std::fs::read_to_string(format!("/proc/{pid}/{file}"))
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    let pids: Vec<u32> = parent.keys().copied().filter(|p| in_tree(*p)).collect();
    Ok(Memory {
        main_rss_kib: field(root, "status", "VmRSS:"),
        tree_rss_kib: pids.iter().map(|p| field(*p, "status", "VmRSS:")).sum(),
        tree_pss_kib: pids.iter().map(|p| field(*p, "smaps_rollup", "Pss:")).sum(),
        processes: pids.len(),
    })
}
