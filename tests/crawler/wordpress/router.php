<?php
// PHP's built-in server in front of WordPress: files as they are, everything else to index.php (what Apache's
// mod_rewrite rules in WordPress's .htaccess do), so pretty permalinks, feeds and sitemaps resolve.
// Every answer is logged (status and path) to requests.log beside this file, for the tests to read.
register_shutdown_function(function () {
    file_put_contents(__DIR__ . '/requests.log', http_response_code() . ' ' . $_SERVER['REQUEST_URI'] . "\n",
                      FILE_APPEND | LOCK_EX);
});
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path !== '/' && is_file(__DIR__ . '/site' . $path) && substr($path, -4) !== '.php') {
    return false;
}
if (substr($path, -4) === '.php' && is_file(__DIR__ . '/site' . $path)) {
    require __DIR__ . '/site' . $path;
    return true;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = __DIR__ . '/site/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
require __DIR__ . '/site/index.php';
