//! Store operators (事業者): codes, stores, terminals and the commission contract.

use serde::{Deserialize, Serialize};

/// One store operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operator {
    /// 事業者コード.
    pub code: String,
    /// Display name (synthetic).
    pub name: String,
    /// Most copies one terminal prints in one transaction.
    pub max_copies_per_transaction: u8,
    /// 委託手数料 contract.
    pub commission: Commission,
    /// Stores with their terminals.
    pub stores: Vec<Store>,
}

/// 委託手数料: commission per printed copy paid by the municipality.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commission {
    /// Yen per copy before consumption tax.
    pub per_copy_excluding_tax: u32,
    /// Consumption tax rate in percent.
    pub tax_rate_percent: u32,
    /// How tax is rounded.
    pub rounding: Rounding,
    /// Whether tax is computed per copy or on the statement total.
    pub tax_basis: TaxBasis,
}

/// Rounding of consumption tax to whole yen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rounding {
    /// 切り捨て.
    Floor,
    /// 四捨五入.
    HalfUp,
    /// 切り上げ.
    Ceil,
}

/// Where consumption tax is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaxBasis {
    /// On each copy's commission.
    PerCopy,
    /// On the statement's total commission.
    PerStatement,
}

/// A store and its terminals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Store {
    /// Store id within the operator.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Terminal ids.
    pub terminals: Vec<String>,
}
