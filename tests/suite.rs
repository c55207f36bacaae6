//! The Gherkin suite as a test target (`harness = false`): every feature against the
//! bundled reference server, through the same engine as `kofu run`.

use std::process::ExitCode;

use kofu::candidate::CandidateSpec;
use kofu::{RunOptions, exit};

fn main() -> ExitCode {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let options = RunOptions::repository(CandidateSpec::Embedded {
        defects: Vec::new(),
    });
    let outcome = match runtime.block_on(kofu::run(options)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("suite: setup failed: {e:#?}");
            return ExitCode::from(exit::SETUP as u8);
        }
    };
    print!("{}", outcome.summary.render());
    println!("report: {}", outcome.run_dir.display());
    println!("{}", outcome.summary.closing_line());
    ExitCode::from(outcome.exit_code as u8)
}
