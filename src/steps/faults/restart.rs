//! 再起動: the candidate is stopped and started again mid-scenario (the embedded
//! reference server on its database, a container, or a `--server` candidate through the
//! vendor's `--restart-command`). Scenarios that restart carry `@requires-restart` (not
//! applicable without a way to restart) and `@serial` (nothing else runs meanwhile).

use cucumber::{then, when};

use crate::checks::fail;
use crate::world::KofuWorld;

#[when(expr = "候補サーバを再起動する")]
async fn restart(world: &mut KofuWorld) {
    let rig = world.rig().clone();
    if let Some(why) = rig.candidate.restart_unavailable() {
        fail(
            "faults: the candidate cannot be restarted",
            why,
            &world.evidence_dir,
        );
    }
    if let Err(e) = rig.candidate.restart().await {
        fail(
            "faults: the candidate did not come back after the restart (identity must answer 200)",
            crate::steps::error_chain(&e),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "この要求IDの交付記録は一件だけで、最後に受け取った交付のものである")]
async fn one_record_of_request(world: &mut KofuWorld) {
    let Some((sent, issuance)) = world.answers.issuances.last().cloned() else {
        fail(
            "faults: no issuance was received",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        );
    };
    let day = kofu_profile::time::jst_date(&sent.reception.reception_time);
    let request_id = sent.reception.request_id.to_string();
    let mine: Vec<String> =
        super::outcomes::records_of_request(world, &issuance.municipality, day, &request_id)
            .await
            .into_iter()
            .map(|r| r.issuance_id)
            .collect();
    if mine != [issuance.issuance_id.clone()] {
        fail(
            "records: a request id must have exactly one record, the issuance its resends got",
            format!(
                "request id {}: records {mine:?}, last issuance received {}",
                sent.reception.request_id, issuance.issuance_id
            ),
            &world.evidence_dir,
        );
    }
}
