//! `liveblog.jsonld`: the coverage as a schema.org `LiveBlogPosting`, for
//! search engines and sites that embed it in their page's <head>.
//!
//! `liveBlogUpdate` lists the entries of the first page (the newest ones):
//! the whole history would make every publish rewrite a file that grows
//! with the blog, and search engines read the latest updates.

use serde_json::{json, Value};

use super::feed::{FeedPage, Item};
use crate::model::Blog;
use crate::time::rfc3339;

pub fn live_blog_posting(blog: &Blog, first_page: &FeedPage, date_modified: Option<&str>) -> Value {
    let updates: Vec<Value> = first_page.items.iter().map(blog_posting).collect();
    let mut posting = json!({
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": first_page.home_page_url.clone().unwrap_or_else(|| format!("urn:uuid:{}", blog.id)),
        "headline": blog.title,
        "inLanguage": blog.language,
        "coverageStartTime": rfc3339(&blog.coverage_start),
        "datePublished": rfc3339(&blog.coverage_start),
        "dateModified": date_modified.map_or_else(|| rfc3339(&blog.updated_at), str::to_string),
        "liveBlogUpdate": updates,
    });
    let object = posting.as_object_mut().expect("an object");
    if let Some(summary) = &blog.summary {
        object.insert("description".into(), json!(summary));
    }
    if let Some(end) = &blog.coverage_end {
        object.insert("coverageEndTime".into(), json!(rfc3339(end)));
    }
    if let Some(url) = &first_page.home_page_url {
        object.insert("url".into(), json!(url));
    }
    posting
}

fn blog_posting(item: &Item) -> Value {
    let mut posting = json!({
        "@type": "BlogPosting",
        "@id": format!("urn:uuid:{}", item.id),
        "headline": item.title,
        "datePublished": item.date_published,
        "dateModified": item.date_modified,
        "articleBody": item.content_text,
    });
    let object = posting.as_object_mut().expect("an object");
    if !item.authors.is_empty() {
        let authors: Vec<Value> = item
            .authors
            .iter()
            .map(|a| json!({"@type": "Person", "name": a.name}))
            .collect();
        object.insert("author".into(), json!(authors));
    }
    if let Some(image) = &item.image {
        object.insert("image".into(), json!(image));
    }
    if let Some(url) = &item.url {
        object.insert("url".into(), json!(url));
    }
    posting
}
