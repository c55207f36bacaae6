//! Unit tests of the snapshots: redaction, naming, comparison and recording for review.

use super::*;

#[test]
fn times_are_redacted_but_dates_and_numbers_stay() {
    assert_eq!(redact_times("受付 10:03:41 交付"), "受付 [time] 交付");
    assert_eq!(
        redact_times("2026-11-26T07:30:00+09:00"),
        "2026-11-26T[time]+09:00"
    );
    assert_eq!(redact_times("午前9時5分発行"), "午前[time]発行");
    assert_eq!(redact_times("9時5分30秒"), "[time]");
    assert_eq!(redact_times("令和8年11月26日"), "令和8年11月26日");
    assert_eq!(redact_times("1/2"), "1/2");
    assert_eq!(
        redact_times("990001-20261126-000123"),
        "990001-20261126-000123"
    );
    assert_eq!(redact_times("123:45"), "123:45");
}

#[test]
fn names_follow_the_evidence_folder() {
    let l = Location::new(
        Path::new("/x/snapshots"),
        "reference",
        Path::new("/r/evidence/02-issuance/snapshots-juminhyo-self"),
        1,
    );
    assert_eq!(l.name, "02-issuance__snapshots-juminhyo-self");
    assert_eq!(
        l.file(),
        Path::new("/x/snapshots/reference/02-issuance__snapshots-juminhyo-self.snap")
    );
    assert_eq!(
        l.pending(),
        Path::new("/r/snapshots/reference/02-issuance__snapshots-juminhyo-self.snap.new")
    );
    let l2 = Location::new(
        Path::new("/x"),
        "acme",
        Path::new("/r/evidence/02-issuance/a-kazei"),
        2,
    );
    assert_eq!(l2.name, "02-issuance__a-kazei-2");
}

#[test]
fn a_snapshot_named_by_its_line_is_refused() {
    let refused = std::panic::catch_unwind(|| {
        Location::new(
            Path::new("/x"),
            "acme",
            Path::new("/r/evidence/02-issuance/a-L3"),
            1,
        )
    });
    let message = refused.unwrap_err().downcast_ref::<String>().cloned();
    assert!(message.unwrap_or_default().contains("@snapshot-<id>"));
}

#[test]
fn comparison_ignores_trailing_whitespace_only() {
    assert!(same_as_committed("{\n  \"a\": 1\n}", "{\n  \"a\": 1\n}\n"));
    assert!(!same_as_committed("{\n  \"a\": 1\n}", "{\n  \"a\": 2\n}"));
}

#[test]
fn a_vendor_records_first_then_compares() {
    let checkout = tempfile::tempdir().unwrap();
    let run = tempfile::tempdir().unwrap();
    let evidence = run.path().join("evidence/02-issuance/v-juminhyo");
    let l = Location::new(checkout.path(), "acme", &evidence, 1);
    let body = "{\n  \"name\": \"𠮷田 花子\"\n}";
    assert_eq!(
        check(&l, "d", body, true),
        Ok(Outcome::Recorded(l.pending()))
    );
    assert!(l.pending().starts_with(run.path()));
    // Nothing was written into the checkout; acceptance copies the recording there.
    assert_eq!(std::fs::read_dir(checkout.path()).unwrap().count(), 0);
    assert_eq!(accept(run.path(), checkout.path()).unwrap(), vec![l.file()]);
    std::fs::remove_file(l.pending()).unwrap();
    assert_eq!(check(&l, "d", body, true), Ok(Outcome::Matched));
    let changed = body.replace('𠮷', "吉");
    let m = check(&l, "d", &changed, true).unwrap_err();
    assert_eq!(m.committed.as_deref(), Some(body));
    assert_eq!(m.pending, Some(l.pending()));
    std::fs::remove_file(l.pending()).unwrap();
    let evidence = Path::new("/r/evidence/02-issuance/v-juminhyo");
    // The reference server with a defect on never writes.
    let r = Location::new(checkout.path(), REFERENCE, evidence, 1);
    let m = check(&r, "d", body, false).unwrap_err();
    assert_eq!((m.committed, m.pending), (None, None));
    assert!(!r.pending().exists() && !r.file().exists());
}

#[test]
fn a_pending_snapshot_is_readable_by_insta() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.snap.new");
    let body = "{\n  \"a\": \"𠮷田\"\n}";
    write_pending(&path, "02-issuance/x: \"quoted\"", body).unwrap();
    assert_eq!(read_committed(&path).as_deref(), Some(body));
}
