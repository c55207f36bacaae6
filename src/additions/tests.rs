//! Parsing `--added`, the selection by tags and the setup errors, on the repository's
//! fixtures.

use super::*;

fn fixtures() -> Fixtures {
    Fixtures::load_default().expect("fixtures load")
}

fn tags(list: &[&str]) -> Vec<String> {
    list.iter().map(|t| (*t).to_owned()).collect()
}

#[test]
fn parses_a_type_by_code_or_title() {
    assert_eq!(
        parse_added("type:fuhyo"),
        Ok(Addition::Type(CertificateType::Fuhyo))
    );
    assert_eq!(
        parse_added(" type : 戸籍の附票の写し "),
        Ok(Addition::Type(CertificateType::Fuhyo))
    );
    assert_eq!(
        parse_added("TYPE:koseki-zenbu"),
        Ok(Addition::Type(CertificateType::KosekiZenbu))
    );
}

#[test]
fn parses_an_operator() {
    assert_eq!(
        parse_added("operator:OP-C"),
        Ok(Addition::Operator("OP-C".to_owned()))
    );
}

#[test]
fn displays_as_parsed() {
    for s in ["type:fuhyo", "type:juminhyo-kisai", "operator:OP-C"] {
        assert_eq!(parse_added(s).map(|a| a.to_string()), Ok(s.into()));
    }
}

#[test]
fn refuses_malformed_values() {
    assert!(matches!(
        parse_added("fuhyo"),
        Err(AdditionParseError::Syntax(_))
    ));
    assert!(matches!(
        parse_added("type:"),
        Err(AdditionParseError::Syntax(_))
    ));
    assert!(matches!(
        parse_added("store:OP-C"),
        Err(AdditionParseError::Kind(k)) if k == "store"
    ));
    let unknown = parse_added("type:passport");
    assert!(matches!(&unknown, Err(AdditionParseError::Type { code, .. }) if code == "passport"));
    let message = unknown.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("fuhyo"), "{message}");
    assert!(matches!(
        parse_added("operator:OP C"),
        Err(AdditionParseError::Operator(_))
    ));
}

#[test]
fn a_selected_addition_keeps_only_itself() {
    let f = fixtures();
    let additions = Additions::load(&f, Some(Addition::Operator("OP-C".into()))).expect("loads");
    assert!(additions.type_addition().is_none());
    assert!(additions.operator_addition().is_some());
    let candidate = additions.candidate_fixtures(&Arc::new(f));
    assert!(candidate.operator("OP-C").is_none());
    assert!(candidate.operator("OP-A").is_some());
}

#[test]
fn setup_errors_name_the_problem() {
    let f = fixtures();
    let err = Additions::load(&f, Some(Addition::Operator("OP-Z".into())))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("OP-Z") && err.contains("OP-A"), "{err}");
    let err = Additions::load(&f, Some(Addition::Operator("OP-A".into())))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("operator:OP-A") && err.contains("before"),
        "{err}"
    );
    let err = Additions::load(&f, Some(Addition::Type(CertificateType::Inkan)))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("type:inkan"), "{err}");
}

#[test]
fn selection_by_kind() {
    let f = fixtures();
    let by_type = Additions::load(&f, Some(Addition::Type(CertificateType::Fuhyo))).expect("loads");
    let by_operator = Additions::load(&f, Some(Addition::Operator("OP-C".into()))).expect("loads");
    let everything = Additions::load(&f, None).expect("loads");
    let cases: [(&[&str], Selection, Selection); 6] = [
        (
            &["phase-additions", "addition-type"],
            Selection::Run,
            Selection::Excluded,
        ),
        (
            &["phase-additions", "addition-operator"],
            Selection::Excluded,
            Selection::Run,
        ),
        (
            &["phase-issuance", "requires-type-fuhyo"],
            Selection::Run,
            Selection::Excluded,
        ),
        (
            &["phase-settlement", "requires-type-juminhyo"],
            Selection::Excluded,
            Selection::Run,
        ),
        (
            &["phase-issuance", "regression"],
            Selection::Run,
            Selection::Run,
        ),
        (
            &["phase-connection"],
            Selection::Excluded,
            Selection::Excluded,
        ),
    ];
    for (t, on_type, on_operator) in cases {
        assert_eq!(by_type.select(&tags(t)), on_type, "{t:?}");
        assert_eq!(by_operator.select(&tags(t)), on_operator, "{t:?}");
        assert_eq!(everything.select(&tags(t)), Selection::Run, "{t:?}");
    }
}

#[test]
fn not_applicable_without_the_claim() {
    let f = fixtures();
    let additions = Additions::load(&f, None).expect("loads");
    let t = tags(&["phase-additions", "addition-type"]);
    assert_eq!(additions.not_applicable(&t, &f.municipalities), None);
    let mut without_fuhyo = f.municipalities.clone();
    for m in &mut without_fuhyo {
        m.certificates
            .retain(|c| c.certificate != CertificateType::Fuhyo);
    }
    let reason = additions.not_applicable(&t, &without_fuhyo);
    assert!(reason.is_some_and(|r| r.contains("fuhyo")));
    let none = Additions::default();
    assert!(none.not_applicable(&t, &f.municipalities).is_some());
    assert_eq!(none.not_applicable(&tags(&["phase-issuance"]), &[]), None);
}
