//! Conformance checker for the Guichet provider API: runs the contract's claims against any
//! implementation (the reference provider, or a collectivity's adapter) and reports pass/fail.

pub mod answers;
pub mod checks;
pub mod token;

pub use checks::{CHECKS, Check, Outcome, Session, Target, run};

/// Prints the report as a table; returns the number of failures.
pub fn print_report(outcomes: &[Outcome]) -> usize {
    let width = outcomes
        .iter()
        .map(|o| o.name.chars().count())
        .max()
        .unwrap_or(10);
    println!("{:<width$}  result", "check");
    println!("{}  ------", "-".repeat(width));
    for o in outcomes {
        match &o.result {
            Ok(()) => println!("{:<width$}  PASS", o.name),
            Err(why) => println!("{:<width$}  FAIL  {why}", o.name),
        }
    }
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    println!(
        "\nconformance: {} passed, {failed} failed",
        outcomes.len() - failed
    );
    failed
}
