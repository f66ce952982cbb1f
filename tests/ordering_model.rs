//! Property: any sequence of creates, publishes, moves, pins, unpins and
//! deletes leaves the stored editorial order equal to a simple in-memory
//! model: a list in position order, shown pinned-first.

use liveline::model::{Initial, ListQuery, NewBlog, NewEntry, Placement, Status};
use liveline::Store;
use proptest::prelude::*;
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Op {
    Create { publish: bool },
    Publish(usize),
    Pin(usize),
    Unpin(usize),
    Delete(usize),
    Retract(usize),
    MoveTop(usize),
    MoveBottom(usize),
    MoveBefore(usize, usize),
    MoveAfter(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    let i = 0usize..64;
    prop_oneof![
        3 => any::<bool>().prop_map(|publish| Op::Create { publish }),
        2 => i.clone().prop_map(Op::Publish),
        1 => i.clone().prop_map(Op::Pin),
        1 => i.clone().prop_map(Op::Unpin),
        1 => i.clone().prop_map(Op::Delete),
        1 => i.clone().prop_map(Op::Retract),
        1 => i.clone().prop_map(Op::MoveTop),
        1 => i.clone().prop_map(Op::MoveBottom),
        2 => (i.clone(), i.clone()).prop_map(|(a, b)| Op::MoveBefore(a, b)),
        2 => (i.clone(), i).prop_map(|(a, b)| Op::MoveAfter(a, b)),
    ]
}

#[derive(Debug, Clone)]
struct Item {
    id: Uuid,
    status: Status,
    pinned: bool,
    ever_published: bool,
}

/// The model: entries in position order, top first.
#[derive(Default)]
struct Model {
    list: Vec<Item>,
}

impl Model {
    fn pick(&self, i: usize) -> Option<usize> {
        (!self.list.is_empty()).then(|| i % self.list.len())
    }

    fn raise_to_top(&mut self, at: usize) {
        let item = self.list.remove(at);
        self.list.insert(0, item);
    }

    fn editorial(&self) -> Vec<Uuid> {
        let pinned = self.list.iter().filter(|e| e.pinned);
        let rest = self.list.iter().filter(|e| !e.pinned);
        pinned.chain(rest).map(|e| e.id).collect()
    }
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut store = Store::open_in_memory().unwrap();
    store
        .create_blog(NewBlog {
            title: "Order".into(),
            timezone: Some("UTC".into()),
            ..Default::default()
        })
        .unwrap();
    let mut model = Model::default();
    for op in ops {
        match op {
            Op::Create { publish } => {
                let initial = if publish {
                    Initial::Published
                } else {
                    Initial::Draft
                };
                let e = store
                    .add_entry(
                        "order",
                        NewEntry {
                            title: "t".into(),
                            initial,
                            ..Default::default()
                        },
                    )
                    .unwrap();
                model.list.insert(
                    0,
                    Item {
                        id: e.id,
                        status: e.status,
                        pinned: false,
                        ever_published: publish,
                    },
                );
            }
            Op::Publish(i) => {
                let Some(at) = model.pick(i) else { continue };
                let item = model.list[at].clone();
                let result = store.publish(item.id);
                if matches!(item.status, Status::Draft | Status::Ready) {
                    result.unwrap();
                    model.list[at].status = Status::Published;
                    if !item.ever_published {
                        model.list[at].ever_published = true;
                        model.raise_to_top(at);
                    }
                } else {
                    prop_assert_eq!(result.unwrap_err().code(), "invalid_transition");
                }
            }
            Op::Retract(i) => {
                let Some(at) = model.pick(i) else { continue };
                let result = store.retract(model.list[at].id);
                if model.list[at].status == Status::Published {
                    result.unwrap();
                    model.list[at].status = Status::Retracted;
                } else {
                    prop_assert!(result.is_err());
                }
            }
            Op::Pin(i) | Op::Unpin(i) => {
                let Some(at) = model.pick(i) else { continue };
                let pin = matches!(op, Op::Pin(_));
                store.set_pinned(model.list[at].id, pin).unwrap();
                model.list[at].pinned = pin;
            }
            Op::Delete(i) => {
                let Some(at) = model.pick(i) else { continue };
                let result = store.delete_entry(model.list[at].id);
                if matches!(model.list[at].status, Status::Draft | Status::Ready) {
                    result.unwrap();
                    model.list.remove(at);
                } else {
                    prop_assert_eq!(result.unwrap_err().code(), "conflict");
                }
            }
            Op::MoveTop(i) | Op::MoveBottom(i) => {
                let Some(at) = model.pick(i) else { continue };
                let top = matches!(op, Op::MoveTop(_));
                let placement = if top {
                    Placement::Top
                } else {
                    Placement::Bottom
                };
                store.move_entry(model.list[at].id, placement).unwrap();
                let item = model.list.remove(at);
                if top {
                    model.list.insert(0, item)
                } else {
                    model.list.push(item)
                }
            }
            Op::MoveBefore(a, b) | Op::MoveAfter(a, b) => {
                let (Some(a), Some(b)) = (model.pick(a), model.pick(b)) else {
                    continue;
                };
                let (id, anchor) = (model.list[a].id, model.list[b].id);
                let before = matches!(op, Op::MoveBefore(..));
                let placement = if before {
                    Placement::Before(anchor)
                } else {
                    Placement::After(anchor)
                };
                let result = store.move_entry(id, placement);
                // Onto itself, or next to an entry of the other pin group
                // (where it could not be shown): refused, nothing moves.
                if a == b || model.list[a].pinned != model.list[b].pinned {
                    prop_assert_eq!(result.unwrap_err().code(), "invalid_input");
                    continue;
                }
                result.unwrap();
                let item = model.list.remove(a);
                let anchor_at = model.list.iter().position(|e| e.id == anchor).unwrap();
                model
                    .list
                    .insert(if before { anchor_at } else { anchor_at + 1 }, item);
            }
        }
        let stored: Vec<Uuid> = store
            .list_entries(
                "order",
                ListQuery {
                    limit: 1_000,
                    ..Default::default()
                },
            )
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        prop_assert_eq!(stored, model.editorial());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn stored_order_matches_the_model(ops in proptest::collection::vec(op(), 1..120)) {
        run(ops)?;
    }
}

/// Hundreds of entries published to the top, then moves between the newest:
/// the case that breaks naive fractional keys.
#[test]
fn moves_between_entries_after_many_top_insertions() {
    let ops: Vec<Op> = (0..300)
        .map(|_| Op::Create { publish: true })
        .chain((0..200).flat_map(|i| [Op::MoveBefore(i % 7 + 1, 0), Op::MoveAfter(0, i % 5 + 1)]))
        .collect();
    run(ops).unwrap();
}
