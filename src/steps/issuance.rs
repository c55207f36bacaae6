//! 交付 steps: the resident's choices, the request, and the checks on what came back:
//! 記載事項, PDF, printed values, forbidden values.

use base64::Engine as _;
use cucumber::{given, then, when};
use kofu_profile::issuance::{Issuance, IssuanceRequest};
use kofu_profile::{CertificateType, Scope};

use kofu_mock_center::client::Reply;

use super::keep;
use crate::checks::expected::Printed;
use crate::checks::{self, expect_eq, fail, pdf, snapshot};
use crate::world::KofuWorld;

#[given(expr = "証明書 {string} を選ぶ")]
fn choose_certificate(world: &mut KofuWorld, name: String) {
    world.certificate = Some(super::certificate_named(&name));
}

#[given(expr = "交付範囲 {string} を選ぶ")]
fn choose_scope(world: &mut KofuWorld, scope: String) {
    world.options.scope = Some(super::scope_named(&scope));
}

/// 世帯の一部: the scenario names persons by id (`"R001, R004"`); the request carries
/// the candidate's member ids, taken from its menu by name.
#[given(expr = "世帯員 {string} を選ぶ")]
fn choose_members(world: &mut KofuWorld, ids: String) {
    world.options.scope = Some(Scope::Members);
    world.options.members = ids
        .split([',', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    for id in &world.options.members {
        if world.ctx().fixtures.register.person(id).is_none() {
            panic!("unknown person `{id}` in the scenario");
        }
    }
}

#[given(expr = "世帯主・続柄を表示する")]
fn show_relationship(world: &mut KofuWorld) {
    world.options.show_relationship = true;
}

#[given(expr = "本籍・筆頭者を表示する")]
fn show_honseki(world: &mut KofuWorld) {
    world.options.show_honseki = true;
}

#[given(expr = "年度 {int} を選ぶ")]
fn choose_year(world: &mut KofuWorld, year: u16) {
    world.options.fiscal_year = Some(year);
}

#[when(expr = "{int} 通を請求する")]
async fn request_copies(world: &mut KofuWorld, copies: u8) {
    let certificate = world
        .certificate
        .unwrap_or_else(|| panic!("the scenario chose no certificate (証明書 … を選ぶ)"));
    let mut options = world.options.clone();
    if options.scope == Some(Scope::Members) && !options.members.is_empty() {
        options.members = member_ids(world, certificate, &options.members).await;
    }
    let req = crate::terminal::issuance_request(world, certificate, options, copies);
    send(world, req).await;
}

/// The candidate's member ids for the chosen persons: the menu lists the current
/// household members by name.
async fn member_ids(
    world: &mut KofuWorld,
    certificate: CertificateType,
    persons: &[String],
) -> Vec<String> {
    if world.menu.is_none() {
        let code = world.municipality_code();
        let card = world
            .card
            .as_ref()
            .unwrap_or_else(|| panic!("no card was placed on the terminal (カード … を置く)"));
        let req = kofu_profile::menu::MenuRequest {
            reception: crate::terminal::reception(world),
            card_serial: card.serial.clone(),
        };
        match world.center().menu(&code, &req).await {
            Ok(Reply::Ok { value, .. }) => world.menu = Some(value),
            other => fail(
                "menu: the candidate must answer the menu the 世帯の一部 choice is made from",
                format!("answer: {other:?}"),
                &world.evidence_dir,
            ),
        }
    }
    let offered = world
        .menu
        .as_ref()
        .and_then(|m| m.items.iter().find(|i| i.certificate == certificate))
        .map(|i| i.members.clone())
        .unwrap_or_default();
    let ctx = world.ctx().clone();
    persons
        .iter()
        .map(|id| {
            let name = ctx
                .fixtures
                .register
                .person(id)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            match offered.iter().find(|m| m.name == name) {
                Some(m) => m.member_id.clone(),
                None => fail(
                    &format!("menu: {certificate} must offer the current household member {id} for 世帯の一部"),
                    format!(
                        "expected a member named `{name}`; offered: {:?}",
                        offered.iter().map(|m| &m.name).collect::<Vec<_>>()
                    ),
                    &world.evidence_dir,
                ),
            }
        })
        .collect()
}

#[when(expr = "同じ要求IDで同じ要求を再送する")]
async fn resend(world: &mut KofuWorld) {
    let req = match world.issuances.last() {
        Some((req, _)) => req.clone(),
        None => panic!("nothing was issued before the resend"),
    };
    send(world, req).await;
}

async fn send(world: &mut KofuWorld, req: IssuanceRequest) {
    let code = world.municipality_code();
    let reply = world.center().issue(&code, &req).await;
    if let Some(issuance) = keep(world, reply) {
        save_pdf(world, &issuance);
        world.issuances.push((req, issuance));
    }
}

fn save_pdf(world: &mut KofuWorld, issuance: &Issuance) {
    world.saved_pdfs += 1;
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&issuance.document.pdf_base64)
    else {
        return;
    };
    let path = world.evidence_dir.join(format!(
        "issuance-{}-{}.pdf",
        world.saved_pdfs,
        issuance.certificate.code()
    ));
    if std::fs::create_dir_all(&world.evidence_dir).is_ok() {
        let _ = std::fs::write(path, bytes);
    }
}

fn last_issuance(world: &KofuWorld) -> (IssuanceRequest, Issuance) {
    match world.issuances.last() {
        Some(x) => x.clone(),
        None => fail(
            "issuance: no certificate was issued",
            format!("last answer: {}", crate::checks::shown(&world.last)),
            &world.evidence_dir,
        ),
    }
}

fn pdf_bytes(world: &KofuWorld, issuance: &Issuance) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(&issuance.document.pdf_base64)
        .unwrap_or_else(|e| {
            fail(
                "document: pdf_base64 is not standard base64",
                e,
                &world.evidence_dir,
            )
        })
}

fn facts(world: &KofuWorld, issuance: &Issuance) -> pdf::PdfFacts {
    pdf::inspect(&pdf_bytes(world, issuance))
        .unwrap_or_else(|e| fail("document: the PDF cannot be read", e, &world.evidence_dir))
}

#[then(expr = "証明書が交付される")]
fn issued(world: &mut KofuWorld) {
    let _ = last_issuance(world);
}

#[then(expr = "2 つの応答は同じ交付である")]
fn same_issuance(world: &mut KofuWorld) {
    let n = world.issuances.len();
    if n < 2 {
        fail(
            "idempotency: the resend was not answered with an issuance",
            format!("last answer: {}", crate::checks::shown(&world.last)),
            &world.evidence_dir,
        );
    }
    let key = |i: &Issuance| {
        (
            i.issuance_id.clone(),
            i.certificate_number.clone(),
            i.document.sha256.clone(),
        )
    };
    expect_eq(
        "idempotency: the same request id must return the same issuance (id, number, document)",
        &key(&world.issuances[n - 2].1),
        &key(&world.issuances[n - 1].1),
        &world.evidence_dir,
    );
}

#[then(expr = "記載事項は住民記録と一致する")]
fn content_matches(world: &mut KofuWorld) {
    let (req, issuance) = last_issuance(world);
    let ctx = world.ctx().clone();
    let holder = holder(world);
    let code = world.municipality_code();
    let municipality = ctx
        .candidate
        .municipalities
        .iter()
        .find(|m| m.code == code)
        .unwrap_or_else(|| panic!("no municipality profile for {code}"));
    let mut options = req.options.clone();
    if options.scope == Some(Scope::Members) {
        // The request carries the candidate's member ids; expect the chosen persons.
        options.members = world.options.members.clone();
    }
    let expected = checks::expected::content(
        &ctx.fixtures,
        municipality,
        holder,
        req.certificate,
        &options,
    )
    .unwrap_or_else(|e| panic!("scenario error: {e}"));
    expect_eq(
        &format!(
            "記載事項: content of {} must equal the register for the chosen options",
            req.certificate
        ),
        &expected,
        &issuance.content,
        &world.evidence_dir,
    );
}

fn holder(world: &KofuWorld) -> &kofu_fixtures::Person {
    let card = world
        .card
        .as_ref()
        .unwrap_or_else(|| panic!("no card was placed"));
    world
        .ctx()
        .fixtures
        .register
        .person(&card.person)
        .unwrap_or_else(|| panic!("card {} names an unknown person", card.id))
}

#[then(expr = "文書は A4 縦の PDF で宣言どおりのページ数とハッシュを持つ")]
fn document_declared(world: &mut KofuWorld) {
    let (_, issuance) = last_issuance(world);
    let f = facts(world, &issuance);
    expect_eq(
        "document: media_type",
        &"application/pdf".to_owned(),
        &issuance.document.media_type,
        &world.evidence_dir,
    );
    expect_eq(
        "document: declared sha256 must be the SHA-256 of the PDF bytes",
        &f.sha256,
        &issuance.document.sha256,
        &world.evidence_dir,
    );
    expect_eq(
        "document: declared page_count must be the PDF's page count",
        &f.page_count,
        &issuance.document.page_count,
        &world.evidence_dir,
    );
    if let Some(bad) = f.page_sizes.iter().find(|s| !pdf::is_a4_portrait(**s)) {
        fail(
            "document: every page must be A4 portrait (595.28 x 841.89 pt)",
            format!("found a page of {:.2} x {:.2} pt", bad.0, bad.1),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "文書のフォントは埋め込まれている")]
fn fonts_embedded(world: &mut KofuWorld) {
    let (_, issuance) = last_issuance(world);
    let f = facts(world, &issuance);
    if !f.fonts_embedded {
        fail(
            "document: every font must be embedded (the terminal has no Japanese fonts to substitute)",
            format!(
                "{} font descriptors, not all with FontFile/FontFile2/FontFile3",
                f.font_count
            ),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "文書の本文に氏名が同じ文字で印字されている")]
fn names_printed(world: &mut KofuWorld) {
    let (_, issuance) = last_issuance(world);
    let text = pdf::squeeze(&facts(world, &issuance).text);
    for name in checks::expected::printed_names(&issuance.content) {
        let wanted = pdf::squeeze(&name);
        if !text.contains(&wanted) {
            let points: Vec<String> = name
                .chars()
                .map(|c| format!("U+{:04X}", c as u32))
                .collect();
            fail(
                "document: names must be printed with the exact code points of the register",
                format!(
                    "expected `{name}` ({}) in the extracted text; it is not there",
                    points.join(" ")
                ),
                &world.evidence_dir,
            );
        }
    }
}

#[then(expr = "記載事項の氏名は {string} である")]
fn content_name(world: &mut KofuWorld, name: String) {
    let (_, issuance) = last_issuance(world);
    let names = checks::expected::printed_names(&issuance.content);
    if !names.contains(&name) {
        let show = |s: &str| {
            s.chars()
                .map(|c| format!("{c}(U+{:04X})", c as u32))
                .collect::<Vec<_>>()
                .join(" ")
        };
        fail(
            "記載事項: the name must keep the register's code points",
            format!(
                "expected {}\nactual names: {}",
                show(&name),
                names
                    .iter()
                    .map(|n| show(n))
                    .collect::<Vec<_>>()
                    .join(" / ")
            ),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "文書に個人番号と住民票コードは印字されていない")]
fn no_numbers(world: &mut KofuWorld) {
    let (_, issuance) = last_issuance(world);
    let text = pdf::squeeze(&facts(world, &issuance).text);
    let ctx = world.ctx().clone();
    for person in &ctx.fixtures.register.persons {
        for (label, number) in [
            ("個人番号", &person.individual_number),
            ("住民票コード", &person.resident_code),
        ] {
            if text.contains(number.as_str()) {
                fail(
                    &format!("document: the {label} must never be printed at a kiosk"),
                    format!("found {label} {number} of person {} in the text", person.id),
                    &world.evidence_dir,
                );
            }
        }
    }
    for label in ["個人番号", "住民票コード"] {
        if text.contains(label) {
            fail(
                "document: no 個人番号 or 住民票コード item may be printed",
                format!("the text contains the label `{label}`"),
                &world.evidence_dir,
            );
        }
    }
}

#[then(expr = "交付日は受付日の和暦で印字されている")]
fn issue_date_printed(world: &mut KofuWorld) {
    let (_, issuance) = last_issuance(world);
    let expected = kofu_profile::time::jst_date(&world.reception_time());
    expect_eq(
        "issue_date: must be the JST date of the reception time",
        &expected,
        &issuance.issue_date,
        &world.evidence_dir,
    );
    let wareki = checks::era::wareki(expected);
    let text = pdf::squeeze(&facts(world, &issuance).text);
    if !text.contains(&wareki) {
        fail(
            "document: the issue date must be printed in 和暦",
            format!("expected `{wareki}` in the extracted text; it is not there"),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "証明文と市区町村長の職名・氏名と証明書番号が印字されている")]
fn statement_printed(world: &mut KofuWorld) {
    let (req, issuance) = last_issuance(world);
    let text = pdf::squeeze(&facts(world, &issuance).text);
    let code = world.municipality_code();
    let ctx = world.ctx().clone();
    let m = ctx
        .candidate
        .municipalities
        .iter()
        .find(|m| m.code == code)
        .unwrap_or_else(|| panic!("no municipality profile for {code}"));
    for (what, value) in [
        (
            "証明文",
            req.certificate.certification_statement().to_owned(),
        ),
        ("市区町村長の職名", m.mayor_title.clone()),
        ("市区町村長の氏名", m.mayor_name.clone()),
        ("証明書番号", issuance.certificate_number.clone()),
    ] {
        if !text.contains(&pdf::squeeze(&value)) {
            fail(
                &format!("document: the {what} must be printed"),
                format!("expected `{value}` in the extracted text; it is not there"),
                &world.evidence_dir,
            );
        }
    }
}

#[then(expr = "文書の本文に記載事項がすべて印字されている")]
fn content_printed(world: &mut KofuWorld) {
    let (_, issuance) = last_issuance(world);
    let text = pdf::squeeze(&facts(world, &issuance).text);
    let digits_only: String = text.chars().filter(|c| !matches!(c, ',' | '，')).collect();
    for value in checks::expected::printed_values(&issuance.content) {
        let (item, wanted, haystack) = match &value {
            Printed::Text(item, v) => (*item, pdf::squeeze(v), &text),
            Printed::Date(item, d) => (*item, checks::era::wareki(*d), &text),
            Printed::Yen(item, n) => (*item, n.to_string(), &digits_only),
        };
        if !haystack.contains(&wanted) {
            fail(
                &format!("document: the 記載事項 {item} must be printed (dates in 和暦)"),
                format!("expected `{wanted}` in the extracted text; it is not there"),
                &world.evidence_dir,
            );
        }
    }
}

#[then(expr = "文書に選ばなかった世帯主・続柄と本籍・筆頭者は印字されていない")]
fn unchosen_items_absent(world: &mut KofuWorld) {
    let (req, issuance) = last_issuance(world);
    let kofu_profile::content::Content::ResidentRecord(record) = &issuance.content else {
        panic!("scenario error: this check is for 住民票 types");
    };
    let text = pdf::squeeze(&facts(world, &issuance).text);
    let ctx = world.ctx().clone();
    let register = &ctx.fixtures.register;
    // Values printed anyway (a 本籍 may be the prefix of the address, the 筆頭者 may be
    // a listed person): only values found nowhere in them can betray an unchosen item.
    let printed: Vec<String> = checks::expected::printed_values(&issuance.content)
        .into_iter()
        .filter_map(|v| match v {
            Printed::Text(_, t) => Some(pdf::squeeze(&t)),
            _ => None,
        })
        .collect();
    let listed: Vec<&kofu_fixtures::Person> = register
        .persons
        .iter()
        .filter(|p| record.persons.iter().any(|e| e.name == p.name))
        .collect();
    let mut forbidden: Vec<(&str, String)> = Vec::new();
    if !req.options.show_relationship {
        forbidden.push(("続柄", "続柄".to_owned()));
        let head = listed
            .iter()
            .filter_map(|p| p.household.as_deref())
            .filter_map(|h| register.household(h))
            .filter_map(|h| register.person(&h.head))
            .next();
        if let Some(head) = head {
            forbidden.push(("世帯主", head.name.clone()));
        }
    }
    if !req.options.show_honseki {
        forbidden.push(("筆頭者", "筆頭者".to_owned()));
        for k in listed
            .iter()
            .filter_map(|p| p.family_register.as_deref())
            .filter_map(|k| register.family_register(k))
        {
            forbidden.push(("本籍", k.honseki.clone()));
            if let Some(h) = register.person(&k.hittosha) {
                forbidden.push(("筆頭者", h.name.clone()));
            }
        }
    }
    for (what, value) in forbidden {
        let value = pdf::squeeze(&value);
        if printed.iter().any(|p| p.contains(&value)) {
            continue;
        }
        if text.contains(&value) {
            fail(
                &format!("document: {what} must be printed only when the resident chose it"),
                format!(
                    "found `{value}` in the extracted text; options: {:?}",
                    req.options
                ),
                &world.evidence_dir,
            );
        }
    }
}

#[then(expr = "部数と交付手数料は請求と市区町村プロファイルの主張どおりである")]
fn fees_as_claimed(world: &mut KofuWorld) {
    let (req, issuance) = last_issuance(world);
    let code = world.municipality_code();
    let ctx = world.ctx().clone();
    let fee = ctx
        .candidate
        .municipalities
        .iter()
        .find(|m| m.code == code)
        .and_then(|m| m.offer(req.certificate))
        .map(|o| o.fee)
        .unwrap_or_else(|| panic!("the profile of {code} does not claim {}", req.certificate));
    expect_eq(
        "issuance: copies, fee per copy and total must be the requested copies at the claimed fee",
        &(
            code.clone(),
            req.certificate,
            req.copies,
            fee,
            fee * u32::from(req.copies),
        ),
        &(
            issuance.municipality.clone(),
            issuance.certificate,
            issuance.copies,
            issuance.fee_per_copy,
            issuance.fee_total,
        ),
        &world.evidence_dir,
    );
}

#[then(expr = "記載事項と本文のスナップショットが一致する")]
fn snapshot_matches(world: &mut KofuWorld) {
    let (req, issuance) = last_issuance(world);
    let text = facts(world, &issuance).text;
    let ctx = world.ctx().clone();
    let location = snapshot::Location::new(
        &ctx.fixtures.root.join("snapshots"),
        &ctx.candidate.snapshot_key(),
        &world.evidence_dir,
        world.issuances.len(),
    );
    let card = world
        .card
        .as_ref()
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let description = format!(
        "{}: card {card}, {} x{}, reception {}",
        location.name,
        req.certificate,
        req.copies,
        req.reception.reception_time.to_rfc3339()
    );
    let body = snapshot::render(&issuance, &req.options, &text);
    super::compare_snapshot(world, &location, &description, &body);
}
