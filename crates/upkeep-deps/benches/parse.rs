//! Reading SBOMs and lockfiles: the median of 21 reads of each file given
//! (default: the Juice Shop CycloneDX SBOM of shared/data), in milliseconds.
//!
//! `cargo bench -p upkeep-deps -- [FILE…]`

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut files: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    if files.is_empty() {
        files.push(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/data/sbom/cyclonedx/juice-shop-via_npm-flat/bom.1.4.json"),
        );
    }
    for file in files {
        let mut times = Vec::new();
        let mut packages = 0;
        for _ in 0..21 {
            let started = Instant::now();
            match upkeep_deps::input::read(&file) {
                Ok(inputs) => packages = inputs.iter().map(|i| i.inventory.packages.len()).sum(),
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(1);
                }
            }
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{}: {packages} packages, median {:.1} ms (min {:.1}, max {:.1}) over 21 reads",
            file.display(),
            times[10],
            times[0],
            times[20]
        );
    }
}
