# Varnish in front of the web replicas (docker-compose.prod.yml: nginx -> varnish ->
# web-1, web-2). It keeps public pages the app marks cacheable (Cache-Control
# s-maxage) and purges them by dependency key: every page carries Surrogate-Key
# (story:12 artist:3 list:home ...), copied to vmod xkey's index; the app sends
# `PURGE` with `xkey-purge: <keys>` when content changes (core/purge.py,
# VARNISH_PURGE_URLS), so a correction shows at once while everything else stays hot.
vcl 4.1;

import directors;
import xkey;

probe readyz {
    .url = "/healthz";
    .interval = 5s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
}

backend web1 {
    .host = "web-1";
    .port = "8000";
    .probe = readyz;
}

backend web2 {
    .host = "web-2";
    .port = "8000";
    .probe = readyz;
}

# Who may purge: the app's containers on the private network, and this machine.
acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_init {
    new web = directors.round_robin();
    web.add_backend(web1);
    web.add_backend(web2);
}

sub vcl_recv {
    set req.backend_hint = web.backend();

    # nginx appended the client's address to X-Forwarded-For and Varnish appended
    # nginx's: drop Varnish's own entry, so the app still trusts one hop (nginx).
    if (req.http.X-Forwarded-For ~ ",") {
        set req.http.X-Forwarded-For = regsub(req.http.X-Forwarded-For, ",\s*[^,]*$", "");
    }

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is for the app"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Send the keys in xkey-purge"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The staff site and the probes are never cached.
    if (req.url ~ "^/(admin/|healthz|readyz)") {
        return (pass);
    }
    # Readers with a session or a flash message see pages of their own (the app's
    # page cache bypasses them too); anyone else shares the anonymous page.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # The app's dependency keys become xkey's index (Fastly reads Surrogate-Key
    # itself; xkey reads its own header).
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Pages the app did not mark public (Set-Cookie, private, no-store) are passed.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-store)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # A purge removes a page at once; grace only covers a backend that is away.
    set beresp.grace = 30s;
}

sub vcl_deliver {
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
