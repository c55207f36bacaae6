//! The register as it stood (その時点の住民記録): the fixtures plus the register changes
//! (異動) in force at a reception time, read from the profile ("The register feed":
//! change kinds, what a change does, the timing rule). This is kofu's own reading of
//! those rules, written from the profile alone; the candidate's view is judged by it.

use chrono::{DateTime, FixedOffset};
use kofu_fixtures::register::{AddressEntry, ResidentStatus, SealState, TaxAssessment};
use kofu_fixtures::{Fixtures, Person};
use kofu_profile::register_event::{RegisterChange, RegisterEvent, RegistrationDecision};
use kofu_profile::registration::RegistrationStatus;

/// An event the candidate accepted, in the order it accepted them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    /// Arrival order: 0 for the first event accepted in the run.
    pub seq: usize,
    /// The municipality the event was sent to (the sender's register system).
    pub municipality: String,
    /// The event as sent.
    pub event: RegisterEvent,
}

/// The events in force for a request received at `at`, among those accepted before it
/// was answered: `effective_at` at or before `at` (compared as instants), in the order
/// they apply — by `effective_at`, then by arrival.
pub fn in_force(delivered: &[Delivered], at: DateTime<FixedOffset>) -> Vec<&Delivered> {
    let mut out: Vec<&Delivered> = delivered
        .iter()
        .filter(|d| d.event.effective_at <= at)
        .collect();
    out.sort_by_key(|d| (d.event.effective_at, d.seq));
    out
}

/// `base` with `events` applied in the given order.
pub fn apply(base: &Fixtures, events: &[&Delivered]) -> Fixtures {
    let mut f = base.clone();
    for d in events {
        apply_one(&mut f, &d.municipality, &d.event.change);
    }
    f
}

fn apply_one(f: &mut Fixtures, municipality: &str, change: &RegisterChange) {
    match change {
        RegisterChange::MovedIn {
            person,
            household,
            relationship,
            date,
        } => {
            let address = household_address(f, household);
            with_person(f, person, |p| {
                p.status = ResidentStatus::Resident;
                p.status_date = None;
                p.household = Some(household.clone());
                p.relationship = Some(relationship.clone());
                p.resident_since = Some(*date);
                if let Some(address) = address {
                    p.addresses.push(AddressEntry {
                        address,
                        since: *date,
                    });
                }
            });
            record_last(f, person);
        }
        RegisterChange::MovedOut {
            person,
            date,
            new_address,
        } => with_person(f, person, |p| {
            p.status = ResidentStatus::MovedOut;
            p.status_date = Some(*date);
            p.addresses.push(AddressEntry {
                address: new_address.clone(),
                since: *date,
            });
        }),
        RegisterChange::Died { person, date } => with_person(f, person, |p| {
            p.status = ResidentStatus::Deceased;
            p.status_date = Some(*date);
        }),
        RegisterChange::HouseholdChanged {
            person,
            household,
            relationship,
            date,
        } => {
            let joined = household_address(f, household);
            let current = f
                .register
                .person(person)
                .and_then(|p| current_address(f, p));
            with_person(f, person, |p| {
                p.household = Some(household.clone());
                p.relationship = Some(relationship.clone());
                if let Some(address) = joined
                    && current.as_ref() != Some(&address)
                {
                    p.addresses.push(AddressEntry {
                        address,
                        since: *date,
                    });
                }
            });
            record_last(f, person);
        }
        RegisterChange::HouseholdHeadChanged {
            household,
            head,
            relationships,
        } => {
            if let Some(h) = f
                .register
                .households
                .iter_mut()
                .find(|h| &h.id == household)
            {
                h.head = head.clone();
            }
            for r in relationships {
                with_person(f, &r.person, |p| {
                    p.relationship = Some(r.relationship.clone())
                });
            }
        }
        RegisterChange::NameChanged { person, name, kana } => with_person(f, person, |p| {
            p.name = name.clone();
            p.kana = kana.clone();
        }),
        RegisterChange::SealRegistered {
            person,
            seal_number,
        } => with_person(f, person, |p| {
            p.seal = SealState::Active;
            p.seal_number = Some(seal_number.clone());
        }),
        RegisterChange::SealAbolished { person } => with_person(f, person, |p| {
            p.seal = SealState::Abolished;
            p.seal_number = None;
        }),
        RegisterChange::DvStarted { person } => with_person(f, person, |p| p.dv_protected = true),
        RegisterChange::DvEnded { person } => with_person(f, person, |p| p.dv_protected = false),
        RegisterChange::TaxCorrected {
            person,
            fiscal_year,
            total_income,
            municipal_tax,
            prefectural_tax,
        } => with_person(f, person, |p| {
            let assessment = TaxAssessment {
                municipality: municipality.to_owned(),
                fiscal_year: *fiscal_year,
                total_income: *total_income,
                municipal_tax: *municipal_tax,
                prefectural_tax: *prefectural_tax,
            };
            match p
                .tax
                .iter_mut()
                .find(|t| t.municipality == municipality && t.fiscal_year == *fiscal_year)
            {
                Some(t) => *t = assessment,
                None => {
                    p.tax.push(assessment);
                    p.tax.sort_by_key(|t| t.fiscal_year);
                }
            }
        }),
        RegisterChange::RegistrationDecided {
            registration_id,
            decision,
        } => {
            let status = match decision {
                RegistrationDecision::Approved => RegistrationStatus::Approved,
                RegistrationDecision::Rejected => RegistrationStatus::Rejected,
            };
            // A registration on file; one filed at a kiosk is not in the fixtures, and
            // the scenario that filed it judges its state itself.
            let on_file =
                f.register.koseki_registrations.iter_mut().find(|r| {
                    &r.registration_id == registration_id && r.municipality == municipality
                });
            if let Some(r) = on_file {
                r.status = status;
                let person = r.person.clone();
                with_person(f, &person, |p| p.koseki_registration = Some(status));
            }
        }
    }
}

fn with_person(f: &mut Fixtures, id: &str, change: impl FnOnce(&mut Person)) {
    if let Some(p) = f.register.persons.iter_mut().find(|p| p.id == id) {
        change(p);
    }
}

/// Register order: a person who joins a household is recorded after its members.
fn record_last(f: &mut Fixtures, id: &str) {
    if let Some(i) = f.register.persons.iter().position(|p| p.id == id) {
        let p = f.register.persons.remove(i);
        f.register.persons.push(p);
    }
}

fn household_address(f: &Fixtures, id: &str) -> Option<String> {
    f.register.household(id).map(|h| h.address.clone())
}

/// The person's current address: the last entry of the history, else their household's.
fn current_address(f: &Fixtures, p: &Person) -> Option<String> {
    p.addresses
        .last()
        .map(|a| a.address.clone())
        .or_else(|| p.household.as_deref().and_then(|h| household_address(f, h)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kofu_profile::register_event::MemberRelationship;

    fn fixtures() -> Fixtures {
        Fixtures::load_default().expect("fixtures")
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("time")
    }

    fn delivered(seq: usize, effective: &str, change: RegisterChange) -> Delivered {
        Delivered {
            seq,
            municipality: "990001".into(),
            event: RegisterEvent {
                event_id: uuid::Uuid::new_v4(),
                effective_at: at(effective),
                change,
            },
        }
    }

    #[test]
    fn a_change_governs_from_its_instant_in_any_offset() {
        let events = [delivered(
            0,
            "2026-11-26T01:00:00+00:00",
            RegisterChange::SealAbolished {
                person: "R227".into(),
            },
        )];
        assert!(in_force(&events, at("2026-11-26T09:59:59+09:00")).is_empty());
        assert_eq!(in_force(&events, at("2026-11-26T10:00:00+09:00")).len(), 1);
        let view = apply(
            &fixtures(),
            &in_force(&events, at("2026-11-26T10:01:00+09:00")),
        );
        let p = view.register.person("R227").expect("R227");
        assert_eq!(
            (p.seal, p.seal_number.as_deref()),
            (SealState::Abolished, None)
        );
    }

    #[test]
    fn events_apply_by_effective_time_then_arrival() {
        // Delivered in reverse: the 11:00 re-registration first, the 10:00 abolition second.
        let events = [
            delivered(
                0,
                "2026-11-26T11:00:00+09:00",
                RegisterChange::SealRegistered {
                    person: "R226".into(),
                    seal_number: "29226".into(),
                },
            ),
            delivered(
                1,
                "2026-11-26T10:00:00+09:00",
                RegisterChange::SealAbolished {
                    person: "R226".into(),
                },
            ),
        ];
        let base = fixtures();
        let at_1030 = apply(&base, &in_force(&events, at("2026-11-26T10:30:00+09:00")));
        assert_eq!(
            at_1030.register.person("R226").expect("p").seal,
            SealState::Abolished
        );
        let at_1130 = apply(&base, &in_force(&events, at("2026-11-26T11:30:00+09:00")));
        let p = at_1130.register.person("R226").expect("p");
        assert_eq!(p.seal_number.as_deref(), Some("29226"));
    }

    #[test]
    fn a_joiner_is_recorded_last_and_gains_the_address() {
        let events = [delivered(
            0,
            "2026-11-26T10:00:00+09:00",
            RegisterChange::HouseholdChanged {
                person: "R209".into(),
                household: "H206".into(),
                relationship: "弟".into(),
                date: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"),
            },
        )];
        let view = apply(
            &fixtures(),
            &in_force(&events, at("2026-11-26T10:01:00+09:00")),
        );
        let members: Vec<&str> = view
            .register
            .household_members("H206")
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(members, ["R211", "R209"]);
        let p = view.register.person("R209").expect("p");
        assert_eq!(
            p.addresses.last().map(|a| a.address.as_str()),
            Some("架空県青葉台市桜町一丁目5番3号")
        );
    }

    #[test]
    fn a_new_head_brings_new_relationships() {
        let events = [delivered(
            0,
            "2026-11-26T10:00:00+09:00",
            RegisterChange::HouseholdHeadChanged {
                household: "H207".into(),
                head: "R213".into(),
                relationships: vec![
                    MemberRelationship {
                        person: "R213".into(),
                        relationship: "世帯主".into(),
                    },
                    MemberRelationship {
                        person: "R212".into(),
                        relationship: "父".into(),
                    },
                ],
            },
        )];
        let view = apply(
            &fixtures(),
            &in_force(&events, at("2026-11-26T10:00:00+09:00")),
        );
        assert_eq!(view.register.household("H207").expect("h").head, "R213");
        let r212 = view.register.person("R212").expect("p");
        assert_eq!(r212.relationship.as_deref(), Some("父"));
    }

    #[test]
    fn a_tax_correction_replaces_only_its_year() {
        let events = [delivered(
            0,
            "2026-11-26T10:00:00+09:00",
            RegisterChange::TaxCorrected {
                person: "R219".into(),
                fiscal_year: 2025,
                total_income: 4100000,
                municipal_tax: 143500,
                prefectural_tax: 94300,
            },
        )];
        let base = fixtures();
        let before = base.register.person("R219").expect("p").tax.clone();
        let view = apply(&base, &in_force(&events, at("2026-11-26T10:00:00+09:00")));
        let after = &view.register.person("R219").expect("p").tax;
        assert_eq!(after.len(), before.len());
        assert_eq!(after[0].total_income, 4100000);
        assert_eq!(after[1], before[1]);
    }
}
