//! The execution model: every model is owned by one worker thread that takes requests over a
//! channel. Models load lazily on their first request, unload after an idle period, and make
//! room under memory pressure: before a model loads, the least recently used other models are
//! unloaded until the estimate of what is loaded fits the memory budget and what the system
//! has available. Status (installed, loaded, device, memory) is readable at any time without
//! waiting for a busy worker.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::device::{self, Chosen, DeviceChoice};
use crate::embed::Embedder;
use crate::error::{InferenceError, Result};
use crate::llm::{GenerateRequest, Generated, TextModel};
use crate::models;
use crate::whisper::{Segment, Transcript, Whisper};

/// How the runtime behaves (from Iris's configuration).
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    pub models_dir: PathBuf,
    pub device: DeviceChoice,
    /// A loaded model unused this long is unloaded.
    pub idle_unload: Duration,
    /// Loaded models together stay under this many bytes (estimated); the least recently used
    /// are unloaded to make room.
    pub memory_budget: u64,
}

/// What `about` shows for one model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelStatus {
    pub name: String,
    pub task: String,
    /// Every file present with its manifest size (the sha256 is checked when it loads).
    pub installed: bool,
    pub loaded: bool,
    /// Where it runs once loaded (`cpu`, `cuda:0`, …).
    pub device: Option<String>,
    /// Estimated memory of the loaded weights, in bytes (0 when not loaded).
    pub memory_bytes: u64,
    /// Seconds its last load took (file checks included).
    pub load_seconds: Option<f64>,
    /// Requests served since the process started.
    pub requests: u64,
    /// Why it is not loaded, if a load failed (a code and a message without inputs).
    pub last_error: Option<String>,
}

enum Job {
    Embed {
        texts: Vec<String>,
        reply: SyncSender<Result<Vec<Vec<f32>>>>,
    },
    Transcribe {
        pcm: Vec<f32>,
        segments: Sender<Segment>,
        reply: SyncSender<Result<Transcript>>,
    },
    Generate {
        request: GenerateRequest,
        cancel: Cancel,
        pieces: Sender<String>,
        reply: SyncSender<Result<Generated>>,
    },
    /// Drop the model now (idle, memory pressure, or asked).
    Unload,
}

struct Worker {
    tx: Sender<Job>,
    status: Arc<Mutex<WorkerState>>,
}

#[derive(Debug, Clone)]
struct WorkerState {
    status: ModelStatus,
    last_used: Option<Instant>,
}

struct Inner {
    config: RuntimeConfig,
    device: Mutex<Option<std::result::Result<Chosen, String>>>,
    workers: Mutex<HashMap<String, Worker>>,
}

/// The inference runtime: cheap to clone, shared by every caller in the process.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("config", &self.inner.config)
            .finish()
    }
}

impl Runtime {
    /// Nothing is loaded (or even checked) until a model is first used.
    pub fn new(config: RuntimeConfig) -> Runtime {
        Runtime {
            inner: Arc::new(Inner {
                config,
                device: Mutex::new(None),
                workers: Mutex::new(HashMap::new()),
            }),
        }
    }

    pub fn config(&self) -> &RuntimeConfig {
        &self.inner.config
    }

    /// The device models run on (chosen once, on first use or first ask).
    pub fn device(&self) -> Result<Chosen> {
        self.inner.device()
    }

    /// Every model of the manifest with its state.
    pub fn status(&self) -> Vec<ModelStatus> {
        let workers = self.inner.workers.lock().expect("not poisoned");
        models::names()
            .into_iter()
            .map(|name| match workers.get(&name) {
                Some(w) => {
                    let mut s = w.status.lock().expect("not poisoned").status.clone();
                    s.installed = models::installed(&self.inner.config.models_dir, &name);
                    s
                }
                None => idle_status(&self.inner.config, &name),
            })
            .collect()
    }

    /// Sentence vectors from the embedding model `model` (e.g. `minilm`), one per text.
    pub fn embed(&self, model: &str, texts: Vec<String>) -> Result<Vec<Vec<f32>>> {
        let (reply, rx) = mpsc::sync_channel(1);
        self.send(model, "embedding", Job::Embed { texts, reply })?;
        rx.recv().map_err(|_| InferenceError::WorkerGone)?
    }

    /// Transcribes 16 kHz mono audio with the speech-to-text model `model`, calling
    /// `on_segment` (on the caller's thread) for each segment as it is decoded.
    pub fn transcribe(
        &self,
        model: &str,
        pcm: Vec<f32>,
        on_segment: &mut dyn FnMut(&Segment),
    ) -> Result<Transcript> {
        let (reply, rx) = mpsc::sync_channel(1);
        let (segments, partial) = mpsc::channel();
        self.send(
            model,
            "speech-to-text",
            Job::Transcribe {
                pcm,
                segments,
                reply,
            },
        )?;
        // The worker drops its sender when it is done with this request.
        for s in partial {
            on_segment(&s);
        }
        rx.recv().map_err(|_| InferenceError::WorkerGone)?
    }

    /// Generates text with the model `model`, calling `on_text` (on the caller's thread) with
    /// each piece as it is produced. Setting `cancel` stops it within one token and frees the
    /// worker for the next request.
    pub fn generate(
        &self,
        model: &str,
        request: GenerateRequest,
        cancel: &Cancel,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<Generated> {
        let (reply, rx) = mpsc::sync_channel(1);
        let (pieces, partial) = mpsc::channel();
        self.send(
            model,
            "text-generation",
            Job::Generate {
                request,
                cancel: cancel.clone(),
                pieces,
                reply,
            },
        )?;
        for p in partial {
            on_text(&p);
        }
        rx.recv().map_err(|_| InferenceError::WorkerGone)?
    }

    /// Unloads `model` (after the request it is serving, if any).
    pub fn unload(&self, model: &str) {
        if let Some(w) = self.inner.workers.lock().expect("not poisoned").get(model) {
            let _ = w.tx.send(Job::Unload);
        }
    }

    fn send(&self, model: &str, task: &str, job: Job) -> Result<()> {
        let manifest = iris_models::Manifest::builtin();
        let spec = manifest
            .get(model)
            .map_err(|_| InferenceError::UnknownModel(model.to_string()))?;
        if spec.task != task {
            return Err(InferenceError::UnknownModel(format!(
                "{model} is a {} model, not {task}",
                spec.task
            )));
        }
        let mut workers = self.inner.workers.lock().expect("not poisoned");
        let worker = workers
            .entry(model.to_string())
            .or_insert_with(|| spawn(self.inner.clone(), model));
        worker.tx.send(job).map_err(|_| InferenceError::WorkerGone)
    }
}

impl Inner {
    fn device(&self) -> Result<Chosen> {
        let mut d = self.device.lock().expect("not poisoned");
        if d.is_none() {
            *d = Some(device::choose(self.config.device).map_err(|e| match e {
                InferenceError::Device(why) => why,
                other => other.to_string(),
            }));
        }
        d.clone()
            .expect("set above")
            .map_err(InferenceError::Device)
    }

    /// Before `model` (about `needed` bytes) loads: unload least recently used others until
    /// the loaded estimate plus `needed` fits the budget and the system's available memory.
    fn make_room(&self, model: &str, needed: u64) {
        let workers = self.workers.lock().expect("not poisoned");
        let mut loaded: Vec<(Option<Instant>, u64, &Worker)> = workers
            .iter()
            .filter(|(name, _)| name.as_str() != model)
            .filter_map(|(_, w)| {
                let s = w.status.lock().expect("not poisoned");
                s.status
                    .loaded
                    .then_some((s.last_used, s.status.memory_bytes, w))
            })
            .collect();
        loaded.sort_by_key(|(t, ..)| *t);
        let mut total: u64 = loaded.iter().map(|(_, m, _)| m).sum();
        let available = mem_available().unwrap_or(u64::MAX);
        let mut freed = 0u64;
        for (_, bytes, w) in loaded {
            let over_budget = total + needed > self.config.memory_budget;
            let pressure = needed > available.saturating_add(freed);
            if !over_budget && !pressure {
                break;
            }
            let _ = w.tx.send(Job::Unload);
            // Marked now so a second load does not count it again.
            w.status.lock().expect("not poisoned").status.loaded = false;
            total -= bytes;
            freed += bytes;
        }
    }
}

fn idle_status(config: &RuntimeConfig, name: &str) -> ModelStatus {
    let manifest = iris_models::Manifest::builtin();
    ModelStatus {
        name: name.to_string(),
        task: manifest
            .get(name)
            .map(|m| m.task.clone())
            .unwrap_or_default(),
        installed: models::installed(&config.models_dir, name),
        loaded: false,
        device: None,
        memory_bytes: 0,
        load_seconds: None,
        requests: 0,
        last_error: None,
    }
}

/// Estimated memory of a loaded model: its files' sizes, scaled by how the format is held in
/// memory (float16 weights become float32; 4-bit GGUF tensors are requantized to 8 bits).
pub fn estimated_bytes(name: &str) -> u64 {
    let manifest = iris_models::Manifest::builtin();
    let Ok(spec) = manifest.get(name) else {
        return 0;
    };
    let files: u64 = spec.files.iter().map(|f| f.size).sum();
    match spec.format.as_str() {
        "ctranslate2" => files * 2,
        "gguf" => files * 2,
        _ => files,
    }
}

/// The system's available memory (Linux `MemAvailable`), if known.
fn mem_available() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

enum Loaded {
    Embedder(Box<Embedder>),
    Whisper(Box<Whisper>),
    Text(Box<TextModel>),
}

fn spawn(inner: Arc<Inner>, name: &str) -> Worker {
    let (tx, rx) = mpsc::channel();
    let status = Arc::new(Mutex::new(WorkerState {
        status: idle_status(&inner.config, name),
        last_used: None,
    }));
    let state = status.clone();
    let model = name.to_string();
    std::thread::Builder::new()
        .name(format!("iris-model-{name}"))
        .spawn(move || worker(inner, model, rx, state))
        .expect("a thread can be started");
    Worker { tx, status }
}

fn worker(inner: Arc<Inner>, name: String, rx: Receiver<Job>, state: Arc<Mutex<WorkerState>>) {
    let mut model: Option<Loaded> = None;
    loop {
        let job = if model.is_some() {
            match rx.recv_timeout(inner.config.idle_unload) {
                Ok(job) => job,
                Err(RecvTimeoutError::Timeout) => Job::Unload,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match rx.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        if let Job::Unload = job {
            model = None;
            let mut s = state.lock().expect("not poisoned");
            s.status.loaded = false;
            s.status.memory_bytes = 0;
            continue;
        }
        if model.is_none() {
            match load(&inner, &name, &state) {
                Ok(m) => model = Some(m),
                Err(e) => {
                    state.lock().expect("not poisoned").status.last_error =
                        Some(format!("{}: {e}", e.code()));
                    fail(job, e);
                    continue;
                }
            }
        }
        {
            let mut s = state.lock().expect("not poisoned");
            s.last_used = Some(Instant::now());
            s.status.requests += 1;
            // Unloaded for room while it waited: it is loaded again now.
            s.status.loaded = true;
        }
        match (job, model.as_mut().expect("loaded above")) {
            (Job::Embed { texts, reply }, Loaded::Embedder(e)) => {
                let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                let _ = reply.send(e.embed(&refs));
            }
            (
                Job::Transcribe {
                    pcm,
                    segments,
                    reply,
                },
                Loaded::Whisper(w),
            ) => {
                let r = w.transcribe(&pcm, &mut |s| {
                    let _ = segments.send(s.clone());
                });
                drop(segments);
                let _ = reply.send(r);
            }
            (
                Job::Generate {
                    request,
                    cancel,
                    pieces,
                    reply,
                },
                Loaded::Text(t),
            ) => {
                let r = t.generate(&request, cancel.flag(), &mut |p| {
                    let _ = pieces.send(p.to_string());
                });
                drop(pieces);
                let _ = reply.send(r);
            }
            (Job::Unload, _) => unreachable!("handled above"),
            (job, _) => fail(
                job,
                InferenceError::UnknownModel(format!("{name} cannot serve this request")),
            ),
        }
    }
}

fn fail(job: Job, e: InferenceError) {
    match job {
        Job::Embed { reply, .. } => {
            let _ = reply.send(Err(e));
        }
        Job::Transcribe { reply, .. } => {
            let _ = reply.send(Err(e));
        }
        Job::Generate { reply, .. } => {
            let _ = reply.send(Err(e));
        }
        Job::Unload => {}
    }
}

fn load(inner: &Inner, name: &str, state: &Mutex<WorkerState>) -> Result<Loaded> {
    let chosen = inner.device()?;
    let needed = estimated_bytes(name);
    inner.make_room(name, needed);
    let started = Instant::now();
    let manifest = iris_models::Manifest::builtin();
    let task = manifest
        .get(name)
        .map(|m| m.task.clone())
        .map_err(|_| InferenceError::UnknownModel(name.to_string()))?;
    let loaded = match task.as_str() {
        "embedding" => Loaded::Embedder(Box::new(Embedder::load(
            &inner.config.models_dir,
            name,
            &chosen.device,
        )?)),
        "speech-to-text" => Loaded::Whisper(Box::new(Whisper::load(
            &inner.config.models_dir,
            &chosen.device,
        )?)),
        "text-generation" => Loaded::Text(Box::new(TextModel::load(
            &inner.config.models_dir,
            name,
            &chosen.device,
        )?)),
        other => {
            return Err(InferenceError::UnknownModel(format!(
                "{name}: task {other} is not served by this build"
            )));
        }
    };
    let mut s = state.lock().expect("not poisoned");
    s.status.loaded = true;
    s.status.device = Some(chosen.name.clone());
    s.status.memory_bytes = needed;
    s.status.load_seconds = Some(started.elapsed().as_secs_f64());
    s.status.last_error = None;
    Ok(loaded)
}

/// A flag a caller sets to stop a request early (generation checks it every token).
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
    pub fn flag(&self) -> &AtomicBool {
        &self.0
    }
}
