<?php
// A plain PHP page that tells TeamWeb AI's chat widget who the logged-in
// visitor is. Serve it with PHP's built-in server (README.md beside this
// file) or any PHP-FPM setup; no framework, no Composer package: the
// extension teamweb_identity does the work.
declare(strict_types=1);

use TeamwebIdentity\IdentityKey;
use function TeamwebIdentity\widgetScriptTag;

$widgetSrc = getenv('TEAMWEB_WIDGET_SRC') ?: 'https://teamweb.example/static/js/chat-widget.js';
$assistantId = getenv('TEAMWEB_ASSISTANT_ID') ?: '123';

/**
 * Stands in for your login system (Laravel's auth()->user(), Symfony's
 * getUser(), WordPress's wp_get_current_user()). DEMO_USER_ID,
 * DEMO_USER_NAME and DEMO_USER_EMAIL choose who is logged in (the browser
 * tests in tests/e2e set them).
 */
function current_user(): array
{
    return [
        'id' => getenv('DEMO_USER_ID') ?: '4711',
        'name' => getenv('DEMO_USER_NAME') ?: "Zoë O'Brien",
        'email' => getenv('DEMO_USER_EMAIL') ?: 'zoe@example.com',
    ];
}

function page(string $heading, string $widget): string
{
    $heading = htmlspecialchars($heading, ENT_QUOTES | ENT_SUBSTITUTE | ENT_HTML5, 'UTF-8');
    return <<<HTML
        <!doctype html>
        <html>
          <head><meta charset="utf-8"><title>Dashboard</title></head>
          <body>
            <h1>{$heading}</h1>
            {$widget}
          </body>
        </html>

        HTML;
}

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
if ($path !== '/' && $path !== '/signed-out') {
    http_response_code(404);
    header('Content-Type: text/plain');
    echo "not found\n";
    return;
}

// The token is the visitor's credential: no shared cache may keep the page.
header('Content-Type: text/html; charset=utf-8');
header('Cache-Control: private, no-store');

if ($path === '/signed-out') {
    // An anonymous visitor: no token, so the widget asks who they are.
    echo page('Welcome', widgetScriptTag($widgetSrc, $assistantId));
    return;
}

// PHP builds every request from scratch, so the key is parsed here; in a
// framework, make it a singleton of the container (see the README).
$key = IdentityKey::fromBase64((string) getenv('TEAMWEB_IDENTITY_SECRET'));
$user = current_user();
$token = $key->encrypt($user['id'], name: $user['name'], email: $user['email']);
// The tag is already HTML-escaped: print it as is.
echo page("Hello, {$user['name']}", widgetScriptTag($widgetSrc, $assistantId, $token));
