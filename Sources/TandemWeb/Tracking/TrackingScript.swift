import Hummingbird
import NIOCore

/// `GET /t.js`: the vendor puts `<script src="https://TANDEM/t.js" data-days="90"></script>`
/// on its pages. It keeps `tdm_click` from the address in a first-party cookie (on the
/// vendor's own domain) for the cookie window, and fills every
/// `<input name="tdm_click">` so the signup form sends it with the customer.
enum TrackingScript {
    static let source = """
    (function () {
      "use strict";
      var script = document.currentScript;
      var days = parseInt((script && script.getAttribute("data-days")) || "90", 10);
      if (!(days > 0 && days <= 730)) { days = 90; }
      var name = "tdm_click";
      var valid = /^[0-9a-f]{32}$/;
      function fromURL() {
        var match = /[?&]tdm_click=([^&#]*)/.exec(window.location.search);
        return match ? decodeURIComponent(match[1]) : null;
      }
      function fromCookie() {
        var parts = document.cookie ? document.cookie.split("; ") : [];
        for (var i = 0; i < parts.length; i++) {
          var pair = parts[i].split("=");
          if (pair[0] === name) { return decodeURIComponent(pair.slice(1).join("=")); }
        }
        return null;
      }
      var click = fromURL();
      if (click && valid.test(click)) {
        var secure = window.location.protocol === "https:" ? "; Secure" : "";
        document.cookie = name + "=" + click + "; Max-Age=" + days * 86400 + "; Path=/; SameSite=Lax" + secure;
      } else {
        click = fromCookie();
        if (!(click && valid.test(click))) { click = null; }
      }
      function fill() {
        if (!click) { return; }
        var inputs = document.querySelectorAll('input[name="tdm_click"]');
        for (var i = 0; i < inputs.length; i++) { if (!inputs[i].value) { inputs[i].value = click; } }
      }
      window.tandem = { clickId: function () { return click; }, fill: fill };
      if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fill); } else { fill(); }
    })();
    """

    static func addRoutes(to router: Router<AppRequestContext>) {
        let body = ByteBuffer(string: source)
        router.get("t.js") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600", .accessControlAllowOrigin: "*"],
                body: .init(byteBuffer: body)
            )
        }
    }
}
