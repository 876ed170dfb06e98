use super::*;
use crate::metrics::items::Action;
use crate::metrics::on;

const HOUR: i64 = 3_600;

fn at(date: &str, hours: i64) -> i64 {
    on("x", date).time + hours * HOUR
}

fn item(
    kind: ItemKind,
    author: &str,
    date: &str,
    merged: Option<i64>,
    actions: Vec<Action>,
) -> Item {
    Item {
        number: 1,
        kind,
        author: Some(author.into()),
        author_bot: false,
        author_maintains: false,
        assignees: Vec::new(),
        created: at(date, 9),
        closed: merged,
        merged,
        key: None,
        first_commit: None,
        merged_by: None,
        labels: Vec::new(),
        actions,
    }
}

#[test]
fn two_months_of_load_worked_out_by_hand() {
    // January: maint commits on Monday the 6th at 10:00 and Saturday the
    // 11th, reviews, lands work; ann opens an issue (maint labels it) and
    // bob a pull request (merged). February: mia reviews, maint lands work,
    // carl opens a pull request nobody answers, dave posts a patch.
    let mut monday = on("maint", "2025-01-06");
    monday.time += 10 * HOUR;
    let mut saturday = on("maint", "2025-01-11");
    saturday.time += 10 * HOUR;
    let contributions = [monday, saturday];
    let review = |p: &str, t: i64| Review {
        person: p.into(),
        organization: None,
        time: t,
        bot: false,
        of: None,
    };
    let reviews = [
        review("maint", at("2025-01-07", 10)),
        review("mia", at("2025-02-03", 10)),
    ];
    let landed = |t: i64| Landed {
        person: "maint".into(),
        time: t,
        bot: false,
        merge: true,
        organization: None,
    };
    let landed = [landed(at("2025-01-08", 10)), landed(at("2025-02-04", 10))];
    let label = Action {
        kind: ActivityKind::Labeled,
        person: Some("maint".into()),
        bot: false,
        time: at("2025-01-10", 10),
    };
    let items = [
        item(ItemKind::Issue, "ann", "2025-01-05", None, vec![label]),
        item(
            ItemKind::PullRequest,
            "bob",
            "2025-01-09",
            Some(at("2025-01-20", 0)),
            Vec::new(),
        ),
        item(
            ItemKind::PullRequest,
            "carl",
            "2025-02-10",
            None,
            Vec::new(),
        ),
    ];
    let posts = [Post {
        id: "<p@x>".into(),
        in_reply_to: None,
        first_reference: None,
        person: Some("dave".into()),
        bot: false,
        time: at("2025-02-12", 10),
        subject: "[PATCH] x".into(),
        patch: true,
        reviewers: Vec::new(),
    }];
    let is = |p: &str, _: i64| p == "maint" || p == "mia";
    let m = compute(&Inputs {
        contributions: &contributions,
        reviews: &reviews,
        landed: &landed,
        items: &items,
        posts: &posts,
        is_maintainer: &is,
        window: Window {
            since: at("2025-01-01", 0),
            until: at("2025-03-01", 0),
        },
    });
    let months: Vec<(&str, u64, u64, u64, u64, u64)> = m
        .details
        .months
        .iter()
        .map(|x| {
            (
                x.month.as_str(),
                x.active_maintainers,
                x.incoming,
                x.reviews,
                x.triage,
                x.merges,
            )
        })
        .collect();
    assert_eq!(
        months,
        [("2025-01", 1, 2, 1, 1, 1), ("2025-02", 2, 2, 1, 0, 1)]
    );
    // 2 per maintainer in January, 1 in February.
    assert_eq!(m.value, Some(1.5));
    // maint: 1 review + 2 merges of the 4.
    assert_eq!(m.details.busiest, Some(("maint".into(), 0.75)));
    assert_eq!(m.details.awaiting_first_response, 1, "carl's");
    assert_eq!(m.details.awaiting_per_active_maintainer, Some(0.5));
    assert_eq!(
        m.details.off_hours,
        [OffHours {
            key: "maint".into(),
            commits: 2,
            share: 0.5
        }]
    );
}
