//! The domain's coded enums as the API description names them (Kind, Channel, Urgency,
//! Status): string schemas of their codes, so the document lists exactly what the code accepts.
use app::domain::case::{CaseKind, CaseStatus, Channel, Urgency};
use std::borrow::Cow;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// A string schema of the codes of one of the domain's coded enums, named for the document.
macro_rules! code_schema {
    ($marker:ident, $name:literal, $enum:ty, $doc:literal) => {
        #[doc = concat!("The codes of `", stringify!($enum), "` as the API spells them.")]
        pub struct $marker;

        impl PartialSchema for $marker {
            fn schema() -> RefOr<Schema> {
                let mut b = ObjectBuilder::new().schema_type(Type::String).enum_values(Some(<$enum>::ALL.iter().map(|c| c.code())));
                if !$doc.is_empty() {
                    b = b.description(Some($doc));
                }
                RefOr::T(Schema::Object(b.build()))
            }
        }

        impl ToSchema for $marker {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
        }
    };
}

code_schema!(KindSchema, "Kind", CaseKind, "The center's six functions.");
code_schema!(ChannelSchema, "Channel", Channel, "");
code_schema!(UrgencySchema, "Urgency", Urgency, "");
code_schema!(StatusSchema, "Status", CaseStatus, "");
