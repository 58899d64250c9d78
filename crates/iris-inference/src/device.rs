//! Which device runs the models: CUDA, then Metal, then the CPU, unless configuration says
//! otherwise. A GPU back end exists only in builds with its cargo feature (`cuda`, `metal`).

use candle_core::Device;

use crate::error::{InferenceError, Result};

/// What configuration asks for (`inference_device` = auto | cpu | cuda | metal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceChoice {
    #[default]
    Auto,
    Cpu,
    Cuda,
    Metal,
}

impl std::str::FromStr for DeviceChoice {
    type Err = InferenceError;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" | "" => Ok(DeviceChoice::Auto),
            "cpu" => Ok(DeviceChoice::Cpu),
            "cuda" | "gpu" => Ok(DeviceChoice::Cuda),
            "metal" => Ok(DeviceChoice::Metal),
            _ => Err(InferenceError::Device(
                "expected one of auto, cpu, cuda, metal".into(),
            )),
        }
    }
}

/// The device chosen and how to describe it (`about`).
#[derive(Debug, Clone)]
pub struct Chosen {
    pub device: Device,
    /// `cpu`, `cuda:0`, `metal:0`.
    pub name: String,
    /// Why: "auto: no CUDA device, no Metal in this build", "configured".
    pub reason: String,
}

/// Back ends compiled into this build.
pub fn compiled_backends() -> Vec<&'static str> {
    let mut v = vec!["cpu"];
    if cfg!(feature = "cuda") {
        v.push("cuda");
    }
    if cfg!(feature = "metal") {
        v.push("metal");
    }
    v
}

/// Picks the device: an explicit choice must be available (an error says why not); `Auto`
/// tries CUDA, then Metal, then takes the CPU.
pub fn choose(choice: DeviceChoice) -> Result<Chosen> {
    match choice {
        DeviceChoice::Cpu => Ok(cpu("configured")),
        DeviceChoice::Cuda => cuda().map_err(InferenceError::Device),
        DeviceChoice::Metal => metal().map_err(InferenceError::Device),
        DeviceChoice::Auto => {
            let mut why = Vec::new();
            match cuda() {
                Ok(c) => return Ok(c),
                Err(e) => why.push(e),
            }
            match metal() {
                Ok(c) => return Ok(c),
                Err(e) => why.push(e),
            }
            Ok(cpu(&format!("auto: {}", why.join("; "))))
        }
    }
}

fn cpu(reason: &str) -> Chosen {
    Chosen {
        device: Device::Cpu,
        name: "cpu".into(),
        reason: reason.into(),
    }
}

fn cuda() -> std::result::Result<Chosen, String> {
    if !cfg!(feature = "cuda") {
        return Err("CUDA is not in this build (cargo feature `cuda`)".into());
    }
    Device::new_cuda(0)
        .map(|device| Chosen {
            device,
            name: "cuda:0".into(),
            reason: "CUDA device 0".into(),
        })
        .map_err(|_| "no usable CUDA device".into())
}

fn metal() -> std::result::Result<Chosen, String> {
    if !cfg!(feature = "metal") {
        return Err("Metal is not in this build (cargo feature `metal`)".into());
    }
    Device::new_metal(0)
        .map(|device| Chosen {
            device,
            name: "metal:0".into(),
            reason: "Metal device 0".into(),
        })
        .map_err(|_| "no usable Metal device".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_and_the_cpu_build_falls_back_to_the_cpu() {
        assert_eq!("AUTO".parse::<DeviceChoice>().unwrap(), DeviceChoice::Auto);
        assert_eq!("cpu".parse::<DeviceChoice>().unwrap(), DeviceChoice::Cpu);
        assert!("tpu".parse::<DeviceChoice>().is_err());
        let c = choose(DeviceChoice::Auto).unwrap();
        if !cfg!(any(feature = "cuda", feature = "metal")) {
            assert_eq!(c.name, "cpu");
            assert!(
                c.reason.contains("CUDA is not in this build"),
                "{}",
                c.reason
            );
            let e = choose(DeviceChoice::Cuda).unwrap_err();
            assert_eq!(e.code(), "DEVICE");
        }
        assert_eq!(choose(DeviceChoice::Cpu).unwrap().name, "cpu");
    }
}
