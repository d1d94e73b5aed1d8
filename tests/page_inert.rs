//! Leaving out what extraction never reads (issue 10): comments, styles, scripts
//! other than JSON data and inline SVG are cut from a page before it is parsed
//! (`khabar::html::bounded_page_to`). The claim that makes this safe: the parser
//! then builds the same tree, but for the nodes the extractor removes anyway.
//! Checked here on pages made of the markup where a scan and a parser could
//! disagree (comment endings, escaped scripts, SVG broken out of by HTML tags,
//! CDATA, unclosed elements).

// Test code: a failed unwrap is a failed test, and helpers need no API docs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use dom_query::Document;
use khabar::html::bounded_page_to;
use proptest::prelude::*;

/// The parsed page as the extractor sees it once its chrome rules have removed
/// scripts, styles and SVG: every element's name in document order, and the text.
fn as_read(html: &str) -> (Vec<String>, String) {
    let doc = Document::from(html);
    doc.select("script, style, svg, math").remove();
    let names = doc
        .select("*")
        .nodes()
        .iter()
        .map(|node| node.node_name().map(|n| n.to_string()).unwrap_or_default())
        .collect();
    (names, doc.root().text().to_string())
}

const PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<b>",
    "</b>",
    "<table><tr><td>",
    " word ",
    "متن",
    "<!-- c -->",
    "<!--->",
    "<!-->",
    "<!-- a --!>",
    "<!--- zone --->",
    "<!-- <p>in a comment</p> -->",
    "<!--",
    "-->",
    "<script>if (a<b) {}</script>",
    "<SCRIPT>x</SCRIPT >",
    "<script>x</scripts></script>",
    "<script><!--<script></script>x</script>",
    "<script type='application/ld+json'>{\"a\":1}</script>",
    "<script>",
    "</script>",
    "<style>p>a{}</style>",
    "<style>",
    "<svg><path d='M0'/></svg>",
    "<svg><g><p>out</p></g></svg>",
    "<svg/>",
    "<svg><svg><g></svg></svg>",
    "<svg><g title='</svg>'></g></svg>",
    "<svg><text>a < b</text></svg>",
    "<svg><a href=x>",
    "</a>",
    "</g>",
    "<svg><g></div></g></svg>",
    "<svg><g>",
    "</svg>",
    "<svg><![CDATA[</svg>]]></svg>",
    "<svg><script>a<b</script></svg>",
    "<math><mi>x</mi></math>",
    "<textarea><!--t--></textarea>",
    "<title>t</title>",
    "<noscript><p>n</p></noscript>",
    "<select><option>o",
    "</select>",
    "<select><style>s<!--</style>",
    "<!doctype html>",
    "<![CDATA[ <!-- ]]>",
    "</ x>",
    "<?x <!-- ?>",
    "</>",
    "<a title=it's>",
    "<a title = 'it>s'>",
    "<p a=\"<!--\">",
    "<div title='-->'>",
    "<script.x>",
    "<styles>",
    "<plaintext>",
    "<title><!--</title>",
    "<iframe><!--</iframe>",
    "<textarea>",
    "</textarea>",
    "<template><!--t--><script>x</script></template>",
    "'",
    "\"",
    "<",
    "<!",
];

proptest! {
    // PROPTEST_CASES raises the count for a long local run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_parser_reads_a_page_without_its_inert_parts_as_the_extractor_reads_it(
        pieces in proptest::collection::vec(0..PIECES.len(), 0..24)
    ) {
        let page: String = pieces.iter().map(|&i| PIECES[i]).collect();
        let page = format!("<html><head><title>T</title></head><body>{page}</body></html>");
        let bounded = bounded_page_to(&page, 200);
        prop_assert_eq!(as_read(&bounded), as_read(&page), "page: {}\nbounded: {}", page, bounded);
    }
}

#[test]
fn json_ld_stays_and_the_rest_of_the_scripts_go() {
    let page = "<html><head><script type=\"application/ld+json\">{}</script>\
                <script src=a.js></script><style>p{}</style></head><body><!-- c -->\
                <p>story</p><svg><path/></svg></body></html>";
    let bounded = bounded_page_to(page, 200);
    assert!(bounded.contains("application/ld+json"));
    for gone in ["a.js", "p{}", "<!--", "<path"] {
        assert!(!bounded.contains(gone), "{gone} left in {bounded}");
    }
}
