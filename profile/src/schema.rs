//! JSON Schemas generated from the wire types: the `components/schemas` section of
//! `profile/openapi.yaml` must equal [`components`] (a test keeps them together).
//!
//! The schemas are JSON Schema draft 2020-12, the dialect of OpenAPI 3.1: optional
//! fields admit `null` through `type: [T, "null"]`, never the OpenAPI 3.0 `nullable`.

use schemars::{JsonSchema, SchemaGenerator, generate::SchemaSettings};
use serde_json::{Map, Value};

fn add<T: JsonSchema>(generator: &mut SchemaGenerator) {
    generator.subschema_for::<T>();
}

/// Every schema of the profile, keyed by type name, with `$ref`s pointing into
/// `#/components/schemas/`.
pub fn components() -> Map<String, Value> {
    let settings = SchemaSettings::draft2020_12().with(|s| {
        s.definitions_path = "#/components/schemas/".into();
    });
    let mut generator = SchemaGenerator::new(settings);
    add::<crate::identity::Identity>(&mut generator);
    add::<crate::menu::MenuRequest>(&mut generator);
    add::<crate::menu::Menu>(&mut generator);
    add::<crate::issuance::IssuanceRequest>(&mut generator);
    add::<crate::issuance::Issuance>(&mut generator);
    add::<crate::outcome::OutcomeReport>(&mut generator);
    add::<crate::records::Records>(&mut generator);
    add::<crate::registration::RegistrationRequest>(&mut generator);
    add::<crate::registration::Registration>(&mut generator);
    add::<crate::register_event::RegisterEvent>(&mut generator);
    add::<crate::register_event::RegisterEventReceipt>(&mut generator);
    add::<crate::error::ErrorBody>(&mut generator);
    generator.take_definitions(true)
}
