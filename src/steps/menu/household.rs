//! メニュー steps about the household: the members a 世帯の一部 may name, and the
//! 交付範囲 a 住民票 type offers.

use cucumber::then;
use kofu_profile::{CertificateType, Scope};

use super::last_menu;
use crate::checks::fail;
use crate::steps::params::{Certificate, ScopeName};
use crate::world::KofuWorld;

fn person_name(world: &KofuWorld, id: &str) -> String {
    world
        .register_now()
        .register
        .person(id)
        .unwrap_or_else(|| panic!("no fixture person `{id}`"))
        .name
        .clone()
}

/// Names offered for 世帯の一部 on the 住民票 item (member ids are opaque).
fn member_names(world: &KofuWorld) -> Vec<String> {
    let m = last_menu(world);
    match m
        .items
        .iter()
        .find(|i| i.certificate == CertificateType::Juminhyo)
    {
        Some(item) => item.members.iter().map(|c| c.name.clone()).collect(),
        None => fail(
            "menu: 住民票の写し must be offered to this holder",
            format!(
                "offered: {:?}",
                m.items.iter().map(|i| i.certificate).collect::<Vec<_>>()
            ),
            &world.evidence_dir,
        ),
    }
}

#[then(expr = "メニューの世帯の一部の候補に {string} がいる")]
fn member_offered(world: &mut KofuWorld, person: String) {
    let name = person_name(world, &person);
    let names = member_names(world);
    if !names.contains(&name) {
        fail(
            &format!("menu: {person} ({name}) must be among the members offered for 世帯の一部"),
            format!("members offered: {names:?}"),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "メニューの世帯の一部の候補に {string} はいない")]
fn member_not_offered(world: &mut KofuWorld, person: String) {
    let name = person_name(world, &person);
    let names = member_names(world);
    if names.contains(&name) {
        fail(
            &format!("menu: {person} ({name}) must not be offered for 世帯の一部"),
            format!("members offered: {names:?}"),
            &world.evidence_dir,
        );
    }
}

fn offered_scopes(world: &KofuWorld, t: CertificateType) -> Vec<Scope> {
    last_menu(world)
        .items
        .iter()
        .find(|i| i.certificate == t)
        .map(|i| i.scopes.clone())
        .unwrap_or_else(|| {
            fail(
                &format!("menu: {} ({t}) must be offered to this holder", t.title()),
                "it is not on the menu",
                &world.evidence_dir,
            )
        })
}

#[then(expr = "メニューの {certificate} の交付範囲に {scope} がある")]
fn menu_scope_offered(world: &mut KofuWorld, name: Certificate, scope: ScopeName) {
    let scopes = offered_scopes(world, name.0);
    let name = name.0.title();
    if !scopes.contains(&scope.0) {
        fail(
            &format!("menu: the 交付範囲 {scope} of {name} must be offered to this holder"),
            format!("offered scopes: {}", crate::checks::list(&scopes)),
            &world.evidence_dir,
        );
    }
}

#[then(expr = "メニューの {certificate} の交付範囲に {scope} はない")]
fn menu_scope_hidden(world: &mut KofuWorld, name: Certificate, scope: ScopeName) {
    let scopes = offered_scopes(world, name.0);
    let name = name.0.title();
    if scopes.contains(&scope.0) {
        fail(
            &format!(
                "menu: the 交付範囲 {scope} of {name} must not be offered: it would print a person under DV等支援措置"
            ),
            format!("offered scopes: {}", crate::checks::list(&scopes)),
            &world.evidence_dir,
        );
    }
}
