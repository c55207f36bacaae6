//! Deserialization rules of request bodies that a derived `Deserialize` does not give:
//! `null` is never a value in a request, and `copies` is any JSON integer.

use schemars::{Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserialize, Deserializer, Visitor};

/// An optional request field: omitted means `None`; present, it must be a `T` — `null`
/// is not a `T`, so it is a parse error (`400 malformed-request`), never "omitted".
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// `copies` as received: any JSON integer (a number without a fractional part, so `2`
/// and `2.0` alike) is well-formed and kept, saturated to `i64`, for the range check
/// (`422 invalid-request` outside 1..=`max_copies`); a fraction, a string, `null` or any
/// other JSON value is a parse error (`400 malformed-request`).
pub fn any_integer<'de, D>(deserializer: D) -> Result<i64, D::Error>
where
    D: Deserializer<'de>,
{
    deserializer.deserialize_any(AnyInteger)
}

struct AnyInteger;

impl Visitor<'_> for AnyInteger {
    type Value = i64;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON integer")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        Ok(i64::try_from(v).unwrap_or(i64::MAX))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<i64, E> {
        Ok(i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX }))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<i64, E> {
        Ok(i64::try_from(v).unwrap_or(i64::MAX))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i64, E> {
        // An integer beyond u64 (18446744073709551616) reaches here as a float; a float
        // with no fractional part is an integer in JSON Schema's sense.
        if v.is_finite() && v.fract() == 0.0 {
            // `as` saturates at the bounds of i64.
            Ok(v as i64)
        } else {
            Err(E::invalid_type(de::Unexpected::Float(v), &self))
        }
    }
}

/// The schema of `copies`: an integer, no bounds (the bounds are the type's `max_copies`,
/// checked after parsing).
pub fn any_integer_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer" })
}
