//! 清算 (settlement) steps, by what they look at: print outcomes ([`outcome`]), the
//! candidate's records ([`records`]), the fee table ([`fee_table`]), the center's
//! statements ([`statements`]) and the three-way reconciliation ([`reconcile`]).

pub mod fee_table;
pub mod outcome;
pub mod reconcile;
pub mod records;
pub mod statements;

use kofu_profile::records::IssuanceRecord;

use crate::checks::fail;
use crate::steps::keep;
use crate::world::KofuWorld;

/// The candidate's records for one business date; a refusal fails the step.
pub async fn records_of_day(world: &mut KofuWorld, day: chrono::NaiveDate) -> Vec<IssuanceRecord> {
    let code = world.municipality_code();
    let reply = world.candidate().records(&code, day, day).await;
    match keep(world, reply) {
        Some(r) => r.records,
        None => fail(
            &format!("records: the candidate must answer the records of business date {day}"),
            format!("answer: {:?}", world.answers.last),
            &world.evidence_dir,
        ),
    }
}
