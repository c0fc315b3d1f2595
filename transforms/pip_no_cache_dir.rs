//! stub
use crate::config::Settings;
use crate::document::Document;
use crate::fix::Finding;

pub fn check(_doc: &Document, _settings: &Settings) -> Vec<Finding> {
    Vec::new()
}
