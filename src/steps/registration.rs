//! 利用登録申請 steps: a holder whose 戸籍 is kept by a municipality they do not live in
//! files the pre-registration from a kiosk, and the center reads its state back.

use cucumber::{then, when};
use kofu_profile::registration::{Registration, RegistrationRequest, RegistrationStatus};

use super::keep;
use crate::checks::{expect_eq, fail};
use crate::world::{KofuWorld, LastAnswer};

/// The wire word of a registration state (`none`, `pending`, ...).
pub fn status_word(status: RegistrationStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn last_registration(world: &KofuWorld) -> Registration {
    match world.answers.registrations.last() {
        Some(r) => r.clone(),
        None => fail(
            "利用登録申請: the candidate answered no registration",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        ),
    }
}

#[when(expr = "利用登録申請を提出する")]
async fn file(world: &mut KofuWorld) {
    let code = world.municipality_code();
    let card = world
        .scene
        .card
        .as_ref()
        .unwrap_or_else(|| panic!("no card was placed on the terminal (カード … を置く)"));
    let req = RegistrationRequest {
        reception: world.reception(),
        card_serial: card.serial.clone(),
    };
    let reply = world.candidate().file_registration(&code, &req).await;
    if let Some(registration) = keep(world, reply) {
        world.answers.registrations.push(registration);
    }
}

#[when(expr = "提出した利用登録申請の状態を照会する")]
async fn read_back(world: &mut KofuWorld) {
    let filed = match world.answers.registrations.first() {
        Some(r) => r.clone(),
        None => fail(
            "利用登録申請: nothing was filed before reading it back",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        ),
    };
    let code = world.municipality_code();
    let reply = world
        .candidate()
        .registration(&code, &filed.registration_id)
        .await;
    if let Some(registration) = keep(world, reply) {
        world.answers.registrations.push(registration);
    }
}

/// A registration id of the profile's form that no server has given: a fresh UUID.
#[when(expr = "知らない利用登録申請IDの状態を照会する")]
async fn read_unknown(world: &mut KofuWorld) {
    let code = world.municipality_code();
    let id = format!("REG-unknown-{}", uuid::Uuid::new_v4());
    let reply = world.candidate().registration(&code, &id).await;
    if let Some(registration) = keep(world, reply) {
        world.answers.registrations.push(registration);
    }
}

#[then(expr = "利用登録申請は受け付けられ、状態は {string} である")]
fn filed_as(world: &mut KofuWorld, status: String) {
    let registration = last_registration(world);
    let http = match &world.answers.last {
        Some(LastAnswer::Ok { status, .. }) => *status,
        other => fail(
            "利用登録申請: the filing must be answered with a registration",
            format!("last answer: {}", crate::checks::shown(other)),
            &world.evidence_dir,
        ),
    };
    if http != 200 && http != 201 {
        fail(
            "利用登録申請: a filing is answered 201 (new) or 200 (the holder's pending or approved one)",
            format!("HTTP {http}"),
            &world.evidence_dir,
        );
    }
    expect_eq(
        "利用登録申請: status of the registration filed",
        &status,
        &status_word(registration.status),
        &world.evidence_dir,
    );
    if registration.registration_id.is_empty()
        || registration.registration_id.len() > 64
        || !registration
            .registration_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
    {
        fail(
            "利用登録申請: registration_id must be 1-64 characters of A-Z a-z 0-9 - . _ ~",
            format!("registration_id: {:?}", registration.registration_id),
            &world.evidence_dir,
        );
    }
    // A new registration is filed at the reception time of the filing request; one
    // found from an earlier run keeps its own filing time.
    if http == 201 {
        expect_eq(
            "利用登録申請: filed_at of a new registration is the reception time of the filing",
            &world.reception_time(),
            &registration.filed_at,
            &world.evidence_dir,
        );
    }
}

#[then(expr = "照会した利用登録申請の状態は {string} で、提出したものと同じである")]
fn read_back_as(world: &mut KofuWorld, status: String) {
    if world.answers.registrations.len() < 2 {
        fail(
            "利用登録申請: the registration could not be read back",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        );
    }
    let filed = world.answers.registrations[0].clone();
    let read = last_registration(world);
    expect_eq(
        "利用登録申請: the registration read back is the one filed (id, filing time) in the given state",
        &(
            filed.registration_id.clone(),
            filed.filed_at,
            status.clone(),
        ),
        &(
            read.registration_id.clone(),
            read.filed_at,
            status_word(read.status),
        ),
        &world.evidence_dir,
    );
}

/// The 利用登録申請 the register records for the placed card's holder with this 本籍地.
fn on_file(world: &KofuWorld) -> kofu_fixtures::register::RegistrationOnFile {
    let code = world.municipality_code();
    let person = world.placed_card().person.clone();
    world
        .rig()
        .fixtures
        .register
        .registration_on_file(&code, &person)
        .cloned()
        .unwrap_or_else(|| panic!("the register records no 利用登録申請 of {person} with {code}"))
}

#[when(expr = "住民記録に記録された利用登録申請を照会する")]
async fn read_on_file(world: &mut KofuWorld) {
    let recorded = on_file(world);
    let code = world.municipality_code();
    let reply = world
        .candidate()
        .registration(&code, &recorded.registration_id)
        .await;
    if let Some(registration) = keep(world, reply) {
        world.answers.registrations.push(registration);
    }
}

#[then(
    expr = "利用登録申請は HTTP {int} で、住民記録に記録された申請（ID・状態・提出日時）のとおりである"
)]
fn answered_as_on_file(world: &mut KofuWorld, http: u16) {
    let recorded = on_file(world);
    let actual_http = match &world.answers.last {
        Some(LastAnswer::Ok { status, .. }) => *status,
        _ => fail(
            "利用登録申請: the registration on file must be answered",
            format!("last answer: {}", crate::checks::shown(&world.answers.last)),
            &world.evidence_dir,
        ),
    };
    let registration = last_registration(world);
    expect_eq(
        "利用登録申請: a registration on file in the register keeps its registration_id, status and filed_at",
        &(
            http,
            recorded.registration_id.clone(),
            status_word(recorded.status),
            recorded.filed_at,
        ),
        &(
            actual_http,
            registration.registration_id.clone(),
            status_word(registration.status),
            registration.filed_at,
        ),
        &world.evidence_dir,
    );
}
