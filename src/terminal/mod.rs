//! The mock store terminal (キオスク端末): which operator, store and terminal it is
//! ([`TerminalId`], [`TerminalProfile`]), its link to the mock center's terminal API
//! ([`center_link`]), the resident's session as a state machine (card, PIN, menu, fee,
//! payment, printing: [`session`]), the printer with its faults ([`printer`]), the
//! sales journal (売上ジャーナル: [`journal`]), a seeded business day at every terminal
//! ([`store_day`]), and the command-line terminal and center ([`script`],
//! [`standalone_center`]). Nothing here knows a scenario.

pub mod center_link;
pub mod journal;
pub mod printer;
pub mod script;
pub mod session;
pub mod standalone_center;
pub mod store_day;

use std::fmt;
use std::str::FromStr;

use kofu_fixtures::Fixtures;

/// Which terminal a request comes from: 事業者コード, store id and terminal id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TerminalId {
    /// 事業者コード: the store operator.
    pub operator: String,
    /// The store.
    pub store: String,
    /// The terminal.
    pub terminal: String,
}

impl TerminalId {
    /// The first terminal of the first store of the first operator in the fixtures.
    pub fn first(fixtures: &Fixtures) -> Option<Self> {
        let operator = fixtures.operators.first()?;
        let store = operator.stores.first()?;
        let terminal = store.terminals.first()?;
        Some(Self {
            operator: operator.code.clone(),
            store: store.id.clone(),
            terminal: terminal.clone(),
        })
    }

    /// The first terminal of operator `code` in the fixtures.
    pub fn first_of(fixtures: &Fixtures, code: &str) -> Option<Self> {
        let operator = fixtures.operator(code)?;
        operator.stores.iter().find_map(|s| {
            s.terminals.first().map(|t| Self {
                operator: code.to_owned(),
                store: s.id.clone(),
                terminal: t.clone(),
            })
        })
    }
}

impl fmt::Display for TerminalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.operator, self.store, self.terminal)
    }
}

/// A terminal written as `OPERATOR/STORE/TERMINAL` that is not three parts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not OPERATOR/STORE/TERMINAL")]
pub struct TerminalIdError(pub String);

impl FromStr for TerminalId {
    type Err = TerminalIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split('/').collect::<Vec<_>>().as_slice() {
            [o, st, t] if !o.is_empty() && !st.is_empty() && !t.is_empty() => Ok(Self {
                operator: (*o).to_owned(),
                store: (*st).to_owned(),
                terminal: (*t).to_owned(),
            }),
            _ => Err(TerminalIdError(s.to_owned())),
        }
    }
}

/// A terminal of a store of an operator, with the operator's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalProfile {
    /// Which terminal.
    pub id: TerminalId,
    /// Most copies in one transaction under the operator's rules.
    pub max_copies: u8,
}

impl TerminalProfile {
    /// Every terminal of every operator in the fixtures.
    pub fn all(fixtures: &Fixtures) -> Vec<Self> {
        fixtures
            .operators
            .iter()
            .flat_map(|o| {
                o.stores.iter().flat_map(move |s| {
                    s.terminals.iter().map(move |t| Self {
                        id: TerminalId {
                            operator: o.code.clone(),
                            store: s.id.clone(),
                            terminal: t.clone(),
                        },
                        max_copies: o.max_copies_per_transaction,
                    })
                })
            })
            .collect()
    }

    /// A terminal of the fixtures, or, for an operator the fixtures do not know, a
    /// terminal with the profile's default copy limit of 10.
    pub fn find(fixtures: &Fixtures, id: &TerminalId) -> Self {
        let max_copies = fixtures
            .operator(&id.operator)
            .map_or(10, |o| o.max_copies_per_transaction);
        Self {
            id: id.clone(),
            max_copies,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_id_reads_and_writes_as_three_parts() {
        let id: TerminalId = "OP-A/OPA-S01/OPA-S01-T01".parse().expect("parses");
        assert_eq!(id.operator, "OP-A");
        assert_eq!(id.to_string(), "OP-A/OPA-S01/OPA-S01-T01");
        assert!("OP-A/OPA-S01".parse::<TerminalId>().is_err());
        assert!("OP-A//T".parse::<TerminalId>().is_err());
    }
}
