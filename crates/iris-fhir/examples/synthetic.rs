//! Writes a synthetic population: `cargo run -p iris-fhir --example synthetic -- DIR [N] [SEED]`
//! creates `DIR/population.ndjson` (every resource, one per line) and one transaction Bundle
//! per patient as `DIR/bundle-<i>.json`, with 1 Jan 2026 as "now".

use std::fs::File;
use std::io::BufWriter;

use iris_fhir::synthetic::{ndjson, population, write_bundle};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(args.get(1).map_or("synthetic", String::as_str));
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let now = 1_767_225_600_000;
    std::fs::create_dir_all(&dir)?;
    let counts = ndjson(
        n,
        seed,
        now,
        BufWriter::new(File::create(dir.join("population.ndjson"))?),
    )?;
    for (i, b) in population(n, seed, now).enumerate() {
        write_bundle(
            BufWriter::new(File::create(dir.join(format!("bundle-{i}.json")))?),
            &b,
        )?;
    }
    for (t, c) in counts {
        println!("{t}\t{c}");
    }
    Ok(())
}
