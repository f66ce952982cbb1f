// TEMPORARY placeholder while the real module is written.
use crate::blocks::Block;
pub fn parse(s: &str) -> crate::Result<Vec<Block>> { Ok(s.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| Block::paragraph(p.trim())).collect()) }
pub fn render(_b: &[Block]) -> String { String::new() }
