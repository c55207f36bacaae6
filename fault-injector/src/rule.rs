//! What to do ([`Fault`]) to which exchanges ([`Match`]), how many times ([`Rule`]), and
//! the armed list the connections consult.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use serde::{Serialize, Serializer};

/// Which exchanges a rule applies to. Every field that is set must match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Match {
    /// The request method; `None` matches any.
    #[serde(serialize_with = "method_name")]
    pub method: Option<http::Method>,
    /// A suffix of the request path, compared without the query (`/issuances`,
    /// `/outcome`, `/menu`); `None` matches any path.
    pub path_ends_with: Option<String>,
    /// Text the request body must contain (e.g. `"terminal_id":"OPA-S01-T01"`, to hit
    /// the requests of one terminal); `None` matches any body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_contains: Option<String>,
}

impl Match {
    /// The same match, only for requests whose body contains `text`.
    pub fn with_body(self, text: impl Into<String>) -> Self {
        Self {
            body_contains: Some(text.into()),
            ..self
        }
    }

    /// Whether a request with this method, path and body matches.
    pub fn matches_request(&self, method: &http::Method, path: &str, body: &[u8]) -> bool {
        self.matches(method, path)
            && self.body_contains.as_deref().is_none_or(|text| {
                body.windows(text.len().max(1))
                    .any(|w| w == text.as_bytes())
            })
    }

    /// Every exchange.
    pub fn any() -> Self {
        Self::default()
    }

    /// Exchanges with this method whose path (without query) ends with `suffix`.
    pub fn new(method: http::Method, suffix: impl Into<String>) -> Self {
        Self {
            method: Some(method),
            path_ends_with: Some(suffix.into()),
            body_contains: None,
        }
    }

    /// Any method, path (without query) ending with `suffix`.
    pub fn path(suffix: impl Into<String>) -> Self {
        Self {
            method: None,
            path_ends_with: Some(suffix.into()),
            body_contains: None,
        }
    }

    /// Whether an exchange with `method` on `path` (without query) matches.
    pub fn matches(&self, method: &http::Method, path: &str) -> bool {
        let path = path.split('?').next().unwrap_or(path);
        self.method.as_ref().is_none_or(|m| m == method)
            && self
                .path_ends_with
                .as_deref()
                .is_none_or(|suffix| path.ends_with(suffix))
    }

    /// The match in plain English, e.g. "POST …/issuances".
    pub fn describe(&self) -> String {
        let method = self.method.as_ref().map_or("any method", |m| m.as_str());
        let on = match &self.path_ends_with {
            Some(suffix) => format!("{method} …{suffix}"),
            None => format!("{method}, any path"),
        };
        match &self.body_contains {
            Some(text) => format!("{on} with {text} in the body"),
            None => on,
        }
    }
}

fn method_name<S: Serializer>(method: &Option<http::Method>, s: S) -> Result<S::Ok, S::Error> {
    match method {
        Some(m) => s.serialize_some(m.as_str()),
        None => s.serialize_none(),
    }
}

/// A network fault done to one exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// The answer is delivered this much later than it arrived from the candidate (or
    /// discarded if the center's connection is gone by then).
    Latency(#[serde(serialize_with = "millis")] Duration),
    /// Latency past the center's timeout: the answer is kept until the center's
    /// connection is gone, then recorded as a late answer discarded, never delivered.
    HoldAnswer,
    /// The exchange is refused before a byte of it is read: a new connection is reset
    /// when accepted; an open (kept-alive) connection is reset as soon as its next
    /// request begins to arrive. Nothing reaches the candidate. The rule's [`Match`] is
    /// not consulted (nothing has been read to match against); the rule counts the
    /// connections it resets.
    Refuse,
    /// The request is read in full, then the center's connection is reset; nothing
    /// reaches the candidate.
    ResetBeforeForward,
    /// The request is forwarded to the candidate and the center's connection is reset
    /// before any answer; the candidate's answer, when it comes, is read and discarded.
    /// (If the request cannot be forwarded at all, the center gets the `502` instead.)
    ResetAfterForward,
    /// Status, headers (with the full `content-length`) and the first `after_bytes`
    /// bytes of the body are delivered, then the connection is reset.
    CutBody {
        /// How many body bytes get through.
        after_bytes: usize,
    },
    /// The candidate's whole answer is received (it has committed), then the center's
    /// connection is reset without a byte of it.
    LoseAnswer,
}

fn millis<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Fault {
    /// The fault in plain English, for messages.
    pub fn describe(&self) -> String {
        match self {
            Self::Latency(d) => format!("delay the answer by {} ms", d.as_millis()),
            Self::HoldAnswer => {
                "hold the answer until the center gives up, never delivering it".to_owned()
            }
            Self::Refuse => "reset the connection before a byte of the request is read".to_owned(),
            Self::ResetBeforeForward => {
                "reset the connection after reading the request, before forwarding it".to_owned()
            }
            Self::ResetAfterForward => {
                "reset the connection after forwarding the request, before any answer".to_owned()
            }
            Self::CutBody { after_bytes } => {
                format!("cut the answer after {after_bytes} body bytes with a reset")
            }
            Self::LoseAnswer => {
                "lose the whole answer after the candidate sent it, with a reset".to_owned()
            }
        }
    }
}

/// A fault armed for the next `times` matching exchanges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// Which exchanges.
    pub on: Match,
    /// What is done to them.
    pub fault: Fault,
    /// How many matching exchanges; [`u32::MAX`] means every one.
    pub times: u32,
}

impl Rule {
    /// `fault` on the next exchange matching `on`.
    pub fn once(on: Match, fault: Fault) -> Self {
        Self::times(on, fault, 1)
    }

    /// `fault` on the next `times` exchanges matching `on`.
    pub fn times(on: Match, fault: Fault, times: u32) -> Self {
        Self { on, fault, times }
    }

    /// `fault` on every exchange matching `on`.
    pub fn always(on: Match, fault: Fault) -> Self {
        Self::times(on, fault, u32::MAX)
    }

    /// The rule in plain English.
    pub fn describe(&self) -> String {
        let times = match self.times {
            u32::MAX => "every time".to_owned(),
            1 => "once".to_owned(),
            n => format!("{n} times"),
        };
        if self.fault == Fault::Refuse {
            format!("{} ({times})", self.fault.describe())
        } else {
            format!(
                "{} on {} ({times})",
                self.fault.describe(),
                self.on.describe()
            )
        }
    }
}

/// The armed rules, in the order armed; used-up rules are dropped.
#[derive(Debug, Default)]
pub(crate) struct Rules(Mutex<Vec<Rule>>);

impl Rules {
    pub(crate) fn arm(&self, rule: Rule) {
        if rule.times > 0 {
            self.lock().push(rule);
        }
    }

    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    pub(crate) fn armed(&self) -> Vec<Rule> {
        self.lock().clone()
    }

    /// Uses one time of the first armed [`Fault::Refuse`]; whether there was one.
    pub(crate) fn take_refuse(&self) -> bool {
        self.take(|rule| rule.fault == Fault::Refuse).is_some()
    }

    /// Uses one time of the first armed rule (other than [`Fault::Refuse`]) matching
    /// `method` on `path` with `body`, and returns its fault.
    pub(crate) fn take_for_request(
        &self,
        method: &http::Method,
        path: &str,
        body: &[u8],
    ) -> Option<Fault> {
        self.take(|rule| rule.fault != Fault::Refuse && rule.on.matches_request(method, path, body))
    }

    fn take(&self, pick: impl Fn(&Rule) -> bool) -> Option<Fault> {
        let mut rules = self.lock();
        let index = rules.iter().position(pick)?;
        let rule = &mut rules[index];
        let fault = rule.fault.clone();
        if rule.times != u32::MAX {
            rule.times -= 1;
            if rule.times == 0 {
                rules.remove(index);
            }
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Rule>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;

    #[test]
    fn matching_ignores_the_query_and_honours_the_method() {
        let on = Match::new(Method::POST, "/issuances");
        assert!(on.matches(&Method::POST, "/v1/municipalities/131016/issuances"));
        assert!(on.matches(&Method::POST, "/v1/x/issuances?dry=1"));
        assert!(!on.matches(&Method::GET, "/v1/x/issuances"));
        assert!(!on.matches(&Method::POST, "/v1/x/issuances/1/outcome"));
        assert!(Match::any().matches(&Method::DELETE, "/"));
        let one = Match::new(Method::POST, "/issuances").with_body("\"terminal_id\":\"T1\"");
        assert!(one.matches_request(&Method::POST, "/x/issuances", br#"{"terminal_id":"T1"}"#));
        assert!(!one.matches_request(&Method::POST, "/x/issuances", br#"{"terminal_id":"T2"}"#));
        assert!(Match::path("/menu").matches(&Method::GET, "/v1/menu?lang=ja"));
    }

    #[test]
    fn rules_apply_in_order_and_expire() {
        let rules = Rules::default();
        rules.arm(Rule::times(Match::path("/a"), Fault::ResetBeforeForward, 2));
        rules.arm(Rule::always(Match::any(), Fault::LoseAnswer));
        rules.arm(Rule::once(Match::any(), Fault::Refuse));
        let get = Method::GET;
        assert_eq!(
            rules.take_for_request(&get, "/a", &[]),
            Some(Fault::ResetBeforeForward)
        );
        assert_eq!(
            rules.take_for_request(&get, "/b", &[]),
            Some(Fault::LoseAnswer)
        );
        assert_eq!(
            rules.take_for_request(&get, "/a", &[]),
            Some(Fault::ResetBeforeForward)
        );
        assert_eq!(
            rules.take_for_request(&get, "/a", &[]),
            Some(Fault::LoseAnswer)
        );
        assert!(rules.take_refuse());
        assert!(!rules.take_refuse());
        assert_eq!(rules.armed().len(), 1);
        rules.clear();
        assert_eq!(rules.take_for_request(&get, "/a", &[]), None);
    }

    #[test]
    fn rules_serialize_and_describe() {
        let rule = Rule::once(
            Match::new(Method::POST, "/issuances"),
            Fault::Latency(Duration::from_millis(250)),
        );
        let json = serde_json::to_value(&rule).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "on": {"method": "POST", "path_ends_with": "/issuances"},
                "fault": {"latency": 250},
                "times": 1
            })
        );
        assert_eq!(
            rule.describe(),
            "delay the answer by 250 ms on POST …/issuances (once)"
        );
        let cut = serde_json::to_value(Fault::CutBody { after_bytes: 7 }).unwrap();
        assert_eq!(cut, serde_json::json!({"cut_body": {"after_bytes": 7}}));
    }
}
