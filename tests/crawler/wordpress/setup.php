<?php
// Installs WordPress into the database named by the site's wp-config.php and writes the posts of a JSON file
// (title, date, paragraphs, category, tags, comment), as an editor would through wp-admin. Prints the posts as
// WordPress published them (id, permalink, title, date) as JSON. Run by tests/crawler/wordpress.py with php-cli.
// With "more" as a fourth argument it only publishes (the site is installed already).
//   php setup.php SITE_DIR URL POSTS.json [more]
[$site, $url, $posts_file] = array_slice($argv, 1, 3);
$install = ($argv[4] ?? '') !== 'more';
$parts = parse_url($url);
$_SERVER['HTTP_HOST'] = $parts['host'] . ':' . $parts['port'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_NAME'] = $parts['host'];
$_SERVER['SERVER_PORT'] = $parts['port'];
define('WP_INSTALLING', true);
require $site . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/taxonomy.php';
if ($install) {
wp_install('Kabar Binjai', 'redaksi', 'redaksi@example.invalid', true, '', 'rahasia-sekali-123');
update_option('siteurl', $url);
update_option('home', $url);
update_option('posts_per_page', 4);
update_option('posts_per_rss', 5);
update_option('timezone_string', 'Asia/Jakarta');
update_option('default_comment_status', 'open');
update_option('comment_moderation', 0);
update_option('comment_previously_approved', 0);
switch_theme('twentytwentythree');
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');
wp_delete_post(1, true);  // "Hello world!"
}
$out = [];
foreach (json_decode(file_get_contents($posts_file), true) as $p) {
    $cat = wp_create_category($p['category']);
    $id = wp_insert_post([
        'post_title' => $p['title'],
        'post_content' => implode("\n\n", array_map(fn($t) => "<!-- wp:paragraph -->\n<p>$t</p>\n<!-- /wp:paragraph -->", $p['paragraphs'])),
        'post_status' => 'publish', 'post_date' => $p['date'], 'post_category' => [$cat],
        'tags_input' => $p['tags'], 'post_author' => 1,
    ], true);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
    wp_insert_comment(['comment_post_ID' => $id, 'comment_author' => 'Warga Binjai',
                       'comment_content' => $p['comment'], 'comment_approved' => 1,
                       'comment_date' => $p['date']]);
    $out[] = ['id' => $id, 'url' => get_permalink($id), 'title' => $p['title'], 'date' => get_post_time('c', true, $id)];
}
if ($install) {  // an index page linking every post by its shortlink (/?p=ID), which WordPress redirects
    $links = implode("\n", array_map(fn($p) => "<li><a href=\"/?p={$p['id']}\">{$p['title']}</a></li>", $out));
    wp_insert_post(['post_type' => 'page', 'post_title' => 'Indeks Berita', 'post_name' => 'indeks-berita',
                    'post_status' => 'publish', 'post_content' => "<!-- wp:html --><ul>$links</ul><!-- /wp:html -->"]);
}
flush_rewrite_rules(false);
echo json_encode($out);
