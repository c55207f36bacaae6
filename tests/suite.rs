//! The Gherkin suite as a test target (`harness = false`): every feature against the
//! bundled reference server, through the same engine as `kofu run`. Its reports go to a
//! temporary folder, removed after a passing run and kept (and named) after a failure.

use std::process::ExitCode;

use kofu::candidate::CandidateSpec;
use kofu::{RunOptions, exit};

fn main() -> ExitCode {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let reports = tempfile::Builder::new()
        .prefix("kofu-suite-")
        .tempdir()
        .expect("temporary report folder");
    let mut options = RunOptions::repository(CandidateSpec::Embedded {
        defects: Vec::new(),
    });
    options.report_dir = reports.path().to_owned();
    let outcome = match runtime.block_on(kofu::run(options)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("suite: cannot write the report: {e}");
            return ExitCode::from(exit::SETUP as u8);
        }
    };
    print!("{}", outcome.summary.render());
    if outcome.exit_code == exit::PASSED {
        println!(
            "report: {} (removed: the run passed)",
            outcome.run_dir.display()
        );
    } else {
        println!("report: {} (kept)", outcome.run_dir.display());
        let _ = reports.keep();
    }
    println!("{}", outcome.summary.closing_line());
    ExitCode::from(outcome.exit_code as u8)
}
