//! `GET /v1/identity`: who the server is, which profile it speaks, whom it serves.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The server's identity; also its health check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Identity {
    /// The profile version the server speaks, e.g. `1.2`.
    pub profile_version: String,
    /// The implementation's name and version, free text.
    pub implementation: Implementation,
    /// 全国地方公共団体コード (6 digits) of every municipality this server serves.
    pub municipalities: Vec<String>,
}

/// Name and version of an implementation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Implementation {
    /// Product name.
    pub name: String,
    /// Product version.
    pub version: String,
}
