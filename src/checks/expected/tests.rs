//! The expected 記載事項 computed for the repository's fixtures.

use super::*;

fn fixtures() -> Fixtures {
    Fixtures::load_default().expect("fixtures load")
}

fn municipality<'a>(f: &'a Fixtures, code: &str) -> &'a Municipality {
    f.municipalities.iter().find(|m| m.code == code).unwrap()
}

fn expect(
    f: &Fixtures,
    code: &str,
    person: &str,
    t: CertificateType,
    options: &IssuanceOptions,
) -> Result<Content, ExpectError> {
    let holder = f.register.person(person).unwrap();
    content(f, municipality(f, code), holder, t, options)
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn household_copy_lists_current_members_in_register_order() {
    let f = fixtures();
    let options = IssuanceOptions {
        scope: Some(Scope::Household),
        show_relationship: true,
        ..IssuanceOptions::default()
    };
    let Content::ResidentRecord(r) =
        expect(&f, "990001", "R001", CertificateType::Juminhyo, &options).unwrap()
    else {
        panic!("kind")
    };
    let names: Vec<&str> = r.persons.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["桜井 太郎", "桜井 良子", "桜井 美咲", "桜井 大地"]);
    assert_eq!(r.household_head.as_deref(), Some("桜井 太郎"));
    assert_eq!(r.persons[1].relationship.as_deref(), Some("妻"));
}

#[test]
fn chosen_members_keep_register_order_and_refuse_removed_persons() {
    let f = fixtures();
    let mut options = IssuanceOptions {
        scope: Some(Scope::Members),
        members: vec!["R004".into(), "R001".into()],
        ..IssuanceOptions::default()
    };
    let Content::ResidentRecord(r) =
        expect(&f, "990001", "R001", CertificateType::Juminhyo, &options).unwrap()
    else {
        panic!("kind")
    };
    let names: Vec<&str> = r.persons.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["桜井 太郎", "桜井 美咲"]);
    assert!(r.household_head.is_none());
    options.members = vec!["R003".into()];
    assert!(matches!(
        expect(&f, "990001", "R001", CertificateType::Juminhyo, &options),
        Err(ExpectError::UnknownMember(_))
    ));
}

#[test]
fn foreign_resident_has_no_honseki_but_foreign_items() {
    let f = fixtures();
    let options = IssuanceOptions {
        scope: Some(Scope::Household),
        show_honseki: true,
        ..IssuanceOptions::default()
    };
    let Content::ResidentRecord(r) =
        expect(&f, "990001", "R023", CertificateType::Juminhyo, &options).unwrap()
    else {
        panic!("kind")
    };
    assert!(r.persons[0].honseki.is_none());
    let foreign = r.persons[0].foreign.as_ref().unwrap();
    assert_eq!(foreign.tsusho.as_deref(), Some("白石 ルーカス"));
    assert_eq!(r.persons[1].hittosha.as_deref(), Some("白石 真由美"));
}

#[test]
fn seal_registration_needs_an_active_seal() {
    let f = fixtures();
    let options = IssuanceOptions::default();
    let Content::SealRegistration(s) =
        expect(&f, "990001", "R007", CertificateType::Inkan, &options).unwrap()
    else {
        panic!("kind")
    };
    assert_eq!(s.name, "\u{20BB7}田 花子");
    assert_eq!(s.registration_number, "10003");
    assert_eq!(s.address, "架空県青葉台市緑町二丁目5番8号");
    assert!(matches!(
        expect(&f, "990001", "R033", CertificateType::Inkan, &options),
        Err(ExpectError::NoSeal(_))
    ));
}

#[test]
fn tax_record_takes_the_assessment_and_income_year() {
    let f = fixtures();
    for (year, income) in [(2024, 5_200_000), (2025, 5_280_000), (2026, 5_350_000)] {
        let options = IssuanceOptions {
            fiscal_year: Some(year),
            ..IssuanceOptions::default()
        };
        let Content::Tax(t) =
            expect(&f, "990001", "R001", CertificateType::Shotoku, &options).unwrap()
        else {
            panic!("kind")
        };
        assert_eq!((t.fiscal_year, t.income_year), (year, year - 1));
        assert_eq!(t.total_income, income);
        assert_eq!(t.address, "架空県青葉台市緑町一丁目2番3号");
    }
    let options = IssuanceOptions {
        fiscal_year: Some(2026),
        ..IssuanceOptions::default()
    };
    assert!(matches!(
        expect(&f, "990001", "R036", CertificateType::Kazei, &options),
        Err(ExpectError::NoAssessment(..))
    ));
    let Content::Tax(t) = expect(&f, "990001", "R037", CertificateType::Kazei, &options).unwrap()
    else {
        panic!("kind")
    };
    assert_eq!((t.municipal_tax, t.prefectural_tax), (0, 0));
}

#[test]
fn tax_address_is_the_one_of_first_january_of_the_fiscal_year() {
    // R037 moved within 青葉台市 on 2024-05-01: the 2024年度 certificate states the
    // address of 2024-01-01, the later ones the current address.
    let f = fixtures();
    let address = |year| {
        let options = IssuanceOptions {
            fiscal_year: Some(year),
            ..IssuanceOptions::default()
        };
        match expect(&f, "990001", "R037", CertificateType::Kazei, &options).unwrap() {
            Content::Tax(t) => t.address,
            other => panic!("kind {other:?}"),
        }
    };
    assert_eq!(address(2024), "架空県青葉台市若葉町三丁目2番7号");
    assert_eq!(address(2025), "架空県青葉台市桜ヶ丘四丁目3番3号");
    let r001 = f.register.person("R001").unwrap();
    assert_eq!(
        address_on(&f, r001, d("2004-12-31")).as_deref(),
        Some("架空県海辺市港町三丁目4番5号")
    );
    assert_eq!(address_on(&f, r001, d("1999-01-01")), None);
}

#[test]
fn full_register_lists_every_member_and_personal_only_the_holder() {
    let f = fixtures();
    let options = IssuanceOptions::default();
    let Content::FamilyRegister(k) =
        expect(&f, "990001", "R046", CertificateType::KosekiZenbu, &options).unwrap()
    else {
        panic!("kind")
    };
    assert_eq!(k.hittosha, "小林 茂");
    let names: Vec<&str> = k.persons.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["小林 茂", "小林 洋子", "小林 和也"]);
    let Content::FamilyRegister(k) =
        expect(&f, "990001", "R001", CertificateType::KosekiKojin, &options).unwrap()
    else {
        panic!("kind")
    };
    assert_eq!(k.persons.len(), 1);
    assert_eq!(k.persons[0].relationship, "夫");
    assert_eq!(k.persons[0].father.as_deref(), Some("桜井 正一"));
    assert_eq!(k.honseki, "架空県青葉台市緑町一丁目2番");
}

#[test]
fn family_register_comes_only_from_the_honseki_municipality() {
    let f = fixtures();
    let options = IssuanceOptions::default();
    assert!(matches!(
        expect(&f, "990001", "R039", CertificateType::KosekiZenbu, &options),
        Err(ExpectError::NoFamilyRegister(..))
    ));
    let Content::FamilyRegister(k) =
        expect(&f, "990002", "R039", CertificateType::KosekiZenbu, &options).unwrap()
    else {
        panic!("kind")
    };
    assert_eq!(k.honseki, "架空県白砂町浜通り5番地");
    assert_eq!(k.persons.len(), 3);
}

#[test]
fn annex_lists_every_member_with_history_and_falls_back_to_the_household() {
    let f = fixtures();
    let options = IssuanceOptions::default();
    let Content::FamilyRegisterAnnex(a) =
        expect(&f, "990001", "R001", CertificateType::Fuhyo, &options).unwrap()
    else {
        panic!("kind")
    };
    assert_eq!(a.persons.len(), 5);
    assert_eq!(a.persons[2].name, "桜井 健太");
    assert_eq!(
        a.persons[2].addresses.last().unwrap().address,
        "架空県海辺市中央三丁目2番1号"
    );
    assert!(annex_fully_recorded(&f, f.register.person("R001").unwrap()));
    // R038 has no recorded history: the household address since 住民となった日.
    let Content::FamilyRegisterAnnex(a) =
        expect(&f, "990001", "R036", CertificateType::Fuhyo, &options).unwrap()
    else {
        panic!("kind")
    };
    assert_eq!(
        a.persons[2].addresses,
        vec![AnnexAddress {
            address: "架空県青葉台市桜ヶ丘四丁目3番3号".into(),
            since: d("2024-05-01"),
        }]
    );
    assert!(!annex_fully_recorded(
        &f,
        f.register.person("R036").unwrap()
    ));
}

#[test]
fn printed_values_cover_dates_and_amounts() {
    let f = fixtures();
    let options = IssuanceOptions {
        fiscal_year: Some(2026),
        ..IssuanceOptions::default()
    };
    let c = expect(&f, "990001", "R001", CertificateType::Kazei, &options).unwrap();
    let values = printed_values(&c);
    assert!(values.contains(&Printed::Yen("合計所得金額", 5_350_000)));
    assert!(values.contains(&Printed::Text("氏名", "桜井 太郎".into())));
}
