//! Why a campaign or suggestion step was refused; each maps to a localised message.
use super::{MAX_YEAR, MIN_YEAR, SuggestionStatus};
use serde::{Deserialize, Serialize};

coded_enum!(crate::domain::campaign::CampaignError =>
    /// The fields of a campaign, a suggestion or a review step that a refusal can name.
    Field {
        Name => "name",
        Content => "content",
        Overview => "overview",
        Category => "category",
        Person => "person",
        Phone => "phone",
        Title => "title",
        Reason => "reason",
        Period => "period",
        Note => "note",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CampaignError {
    #[error("unknown code {0}")]
    UnknownCode(String),
    #[error("{0} is required")]
    Required(Field),
    #[error("{field} is longer than {max} characters")]
    TooLong { field: Field, max: usize },
    /// 一事一提: the content must say how much (how many, how long, how big).
    #[error("the content states no quantity")]
    NoQuantity,
    /// A name that lists several projects (“and”, semicolons, numbered items).
    #[error("one suggestion names one project")]
    SeveralItems,
    #[error("the window must open before it closes")]
    BadWindow,
    #[error("the year must be between {MIN_YEAR} and {MAX_YEAR}")]
    BadYear,
    #[error("the call has not opened yet")]
    NotOpenYet,
    #[error("the call is closed")]
    Closed,
    #[error("a campaign needs at least one category")]
    NoCategories,
    #[error("category {0} is not part of this call")]
    UnknownCategory(String),
    #[error("this step is not possible while the suggestion is {status}")]
    WrongStatus { status: SuggestionStatus },
    #[error("a suggestion cannot be merged into itself")]
    MergeIntoSelf,
    #[error("vote counts are out of range")]
    BadVote,
    #[error("an amount must be zero or more")]
    BadAmount,
    #[error("the reporter must agree to how their data is used")]
    ConsentRequired,
    #[error("at most {0} suggestions per person in one call")]
    PersonLimit(usize),
    #[error("the receipt code or secret is wrong")]
    BadReceipt,
    /// The hidden field people never see was filled in: a script, not a person.
    #[error("the form was filled in by a program")]
    LooksAutomated,
    #[error("this place is not one of the district's")]
    UnknownArea,
}
