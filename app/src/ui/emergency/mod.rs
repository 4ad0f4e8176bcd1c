//! Emergency reports (紧急信息报送): the center's board and one emergency's reports; the
//! responsible unit's phone pages to file them.
pub mod api;
