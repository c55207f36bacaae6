//! What one change does to the register, as data changes on the register's types
//! (profile, "Change kinds").

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use kofu_fixtures::Register;
use kofu_fixtures::register::{AddressEntry, ResidentStatus, SealState, TaxAssessment};
use kofu_profile::register_event::{RegisterChange, RegistrationDecision};
use kofu_profile::registration::RegistrationStatus;

use crate::defects::{Defect, Defects};

/// The register being built, with what the feed records beside it.
pub(super) struct Draft<'a> {
    /// The register.
    pub register: &'a mut Register,
    /// Decisions on 利用登録申請, by registration id (on file or filed at a kiosk).
    pub decisions: &'a mut BTreeMap<String, RegistrationStatus>,
    /// Defect `feed-dv-holder-only`: persons protected by a feed flag only the holder
    /// check reads.
    pub holder_only_dv: &'a mut BTreeSet<String>,
    /// Defect switches.
    pub defects: &'a Defects,
}

/// A name as it arrives through the feed: exact code points, but for defect
/// `feed-name-normalized`, which maps 外字 to JIS X 0208 look-alikes.
fn feed_name(defects: &Defects, name: &str) -> String {
    if !defects.on(Defect::FeedNameNormalized) {
        return name.to_owned();
    }
    name.chars()
        .map(|c| match c {
            '\u{20BB7}' => '吉',
            '髙' => '高',
            '\u{FA11}' => '崎',
            other => other,
        })
        .collect()
}

impl Draft<'_> {
    /// The register id the change means. Defect `feed-person-matched-by-name`: the
    /// first person in register order with the named person's name and フリガナ.
    fn resolve(&self, id: &str) -> Option<usize> {
        let persons = &self.register.persons;
        let index = persons.iter().position(|p| p.id == id)?;
        if !self.defects.on(Defect::FeedPersonMatchedByName) {
            return Some(index);
        }
        let named = &persons[index];
        persons
            .iter()
            .position(|p| p.name == named.name && p.kana == named.kana)
            .or(Some(index))
    }

    fn address_of(&self, household: Option<&str>) -> Option<String> {
        household
            .and_then(|h| self.register.household(h))
            .map(|h| h.address.clone())
    }

    /// A person joins a household: recorded after the members already there (register
    /// order is the order of `persons`), unless defect `feed-joiner-keeps-register-place`.
    fn record_last(&mut self, index: usize) -> usize {
        if self.defects.on(Defect::FeedJoinerKeepsRegisterPlace) {
            return index;
        }
        let person = self.register.persons.remove(index);
        self.register.persons.push(person);
        self.register.persons.len() - 1
    }

    /// Apply one change sent by `municipality`. Ids the register does not know change
    /// nothing (the operation refuses such events before they are kept).
    pub fn apply(&mut self, municipality: &str, change: &RegisterChange) {
        match change {
            RegisterChange::HouseholdHeadChanged {
                household,
                head,
                relationships,
            } => self.head_changed(household, head, relationships),
            RegisterChange::RegistrationDecided {
                registration_id,
                decision,
            } => self.decided(registration_id, *decision),
            _ => {
                if let Some(index) = change.person().and_then(|id| self.resolve(id)) {
                    self.person_changed(index, municipality, change);
                }
            }
        }
    }

    fn person_changed(&mut self, index: usize, municipality: &str, change: &RegisterChange) {
        match change {
            RegisterChange::MovedIn {
                household,
                relationship,
                date,
                ..
            } => {
                let address = self.address_of(Some(household));
                let index = self.record_last(index);
                let p = &mut self.register.persons[index];
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
            }
            RegisterChange::MovedOut {
                date, new_address, ..
            } => {
                let p = &mut self.register.persons[index];
                p.status = ResidentStatus::MovedOut;
                p.status_date = Some(*date);
                p.addresses.push(AddressEntry {
                    address: new_address.clone(),
                    since: *date,
                });
            }
            RegisterChange::Died { date, .. } => {
                let p = &mut self.register.persons[index];
                p.status = ResidentStatus::Deceased;
                p.status_date = Some(*date);
            }
            RegisterChange::HouseholdChanged {
                household,
                relationship,
                date,
                ..
            } => self.household_changed(index, household, relationship, *date),
            RegisterChange::NameChanged { name, kana, .. } => {
                let name = feed_name(self.defects, name);
                let p = &mut self.register.persons[index];
                p.name = name;
                p.kana = kana.clone();
            }
            RegisterChange::SealRegistered { seal_number, .. } => {
                let p = &mut self.register.persons[index];
                p.seal = SealState::Active;
                p.seal_number = Some(seal_number.clone());
            }
            RegisterChange::SealAbolished { .. } => {
                let p = &mut self.register.persons[index];
                p.seal = SealState::Abolished;
                p.seal_number = None;
            }
            RegisterChange::DvStarted { .. } => {
                let p = &mut self.register.persons[index];
                if self.defects.on(Defect::FeedDvHolderOnly) {
                    self.holder_only_dv.insert(p.id.clone());
                } else {
                    p.dv_protected = true;
                }
            }
            RegisterChange::DvEnded { .. } => {
                let p = &mut self.register.persons[index];
                self.holder_only_dv.remove(&p.id);
                p.dv_protected = false;
            }
            RegisterChange::TaxCorrected {
                fiscal_year,
                total_income,
                municipal_tax,
                prefectural_tax,
                ..
            } => {
                let p = &mut self.register.persons[index];
                let fiscal_year = if self.defects.on(Defect::FeedTaxCorrectionNewestYear) {
                    p.tax
                        .iter()
                        .filter(|t| t.municipality == municipality)
                        .map(|t| t.fiscal_year)
                        .max()
                        .unwrap_or(*fiscal_year)
                } else {
                    *fiscal_year
                };
                p.tax
                    .retain(|t| !(t.municipality == municipality && t.fiscal_year == fiscal_year));
                p.tax.push(TaxAssessment {
                    municipality: municipality.to_owned(),
                    fiscal_year,
                    total_income: *total_income,
                    municipal_tax: *municipal_tax,
                    prefectural_tax: *prefectural_tax,
                });
                p.tax.sort_by_key(|t| t.fiscal_year);
            }
            RegisterChange::HouseholdHeadChanged { .. }
            | RegisterChange::RegistrationDecided { .. } => {}
        }
    }

    /// 世帯の変更: the address history gains the new household's address where it is not
    /// the person's current one (the last entry, or with no history the old household's).
    fn household_changed(
        &mut self,
        index: usize,
        household: &str,
        relationship: &str,
        date: NaiveDate,
    ) {
        let new_address = self.address_of(Some(household));
        let old = &self.register.persons[index];
        let current = old
            .addresses
            .last()
            .map(|a| a.address.clone())
            .or_else(|| self.address_of(old.household.as_deref()));
        let index = self.record_last(index);
        let p = &mut self.register.persons[index];
        p.household = Some(household.to_owned());
        p.relationship = Some(relationship.to_owned());
        if let Some(address) = new_address
            && current.as_ref() != Some(&address)
        {
            p.addresses.push(AddressEntry {
                address,
                since: date,
            });
        }
    }

    fn head_changed(
        &mut self,
        household: &str,
        head: &str,
        relationships: &[kofu_profile::register_event::MemberRelationship],
    ) {
        let Some(head) = self
            .resolve(head)
            .map(|i| self.register.persons[i].id.clone())
        else {
            return;
        };
        if let Some(h) = self
            .register
            .households
            .iter_mut()
            .find(|h| h.id == household)
        {
            h.head = head;
        }
        if self.defects.on(Defect::FeedHeadChangeKeepsRelationships) {
            return;
        }
        for member in relationships {
            if let Some(index) = self.resolve(&member.person) {
                self.register.persons[index].relationship = Some(member.relationship.clone());
            }
        }
    }

    /// The 本籍地's decision: on a registration on file, its recorded state and the
    /// person's; every decision is also kept by id, for registrations filed at a kiosk.
    fn decided(&mut self, registration_id: &str, decision: RegistrationDecision) {
        let status = match decision {
            RegistrationDecision::Approved => RegistrationStatus::Approved,
            RegistrationDecision::Rejected => RegistrationStatus::Rejected,
        };
        self.decisions.insert(registration_id.to_owned(), status);
        let Some(on_file) = self
            .register
            .koseki_registrations
            .iter_mut()
            .find(|r| r.registration_id == registration_id)
        else {
            return;
        };
        on_file.status = status;
        let person = on_file.person.clone();
        if let Some(p) = self.register.persons.iter_mut().find(|p| p.id == person) {
            p.koseki_registration = Some(status);
        }
    }
}
