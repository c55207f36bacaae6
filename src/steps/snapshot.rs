//! Snapshot steps' side: compare a rendered answer with the candidate's reviewed
//! snapshot ([`crate::checks::snapshot`]), record a first one for review, or fail with
//! a diff that says how to re-record.

use crate::checks::snapshot;
use crate::checks::{fail, fail_diff};
use crate::world::KofuWorld;

/// Compare `body` with the candidate's reviewed snapshot at `location`; a first run of a
/// vendor's candidate records it for review, a mismatch fails the step with a diff.
pub fn compare(world: &KofuWorld, location: &snapshot::Location, description: &str, body: &str) {
    let rig = world.rig().clone();
    match snapshot::check(
        location,
        description,
        body,
        rig.candidate.may_record_snapshots(),
    ) {
        Ok(snapshot::Outcome::Matched) => {}
        Ok(snapshot::Outcome::Recorded(pending)) => {
            let note = format!(
                "note: no snapshot yet for candidate `{}`: recorded {} for review \
                 (`cargo insta review`, or rename it to .snap to accept)",
                location.key,
                pending.display()
            );
            eprintln!("{note}");
            if std::fs::create_dir_all(&world.evidence_dir).is_ok() {
                let _ = std::fs::write(world.evidence_dir.join("snapshot-note.txt"), note);
            }
        }
        Err(m) => {
            let lines = |s: &str| s.lines().map(str::to_owned).collect::<Vec<_>>();
            let how = match &m.pending {
                Some(p) => format!("new snapshot for review: {}", p.display()),
                None if !rig.candidate.may_record_snapshots() => {
                    "a defect is switched on: nothing recorded".to_owned()
                }
                None if location.key == snapshot::REFERENCE => "re-record: INSTA_UPDATE=always cargo test -p kofu --test suite, then review the diff and commit".to_owned(),
                None => "no file was written".to_owned(),
            };
            match &m.committed {
                Some(committed) => fail_diff(
                    &format!(
                        "snapshot: {description} must match the reviewed snapshot {} ({how})",
                        m.file.display()
                    ),
                    &lines(committed),
                    &lines(&m.actual),
                    &world.evidence_dir,
                ),
                None => fail(
                    &format!(
                        "snapshot: no reviewed snapshot {} for candidate `{}` ({how})",
                        m.file.display(),
                        location.key
                    ),
                    format!("actual:\n{}", m.actual),
                    &world.evidence_dir,
                ),
            }
        }
    }
}
