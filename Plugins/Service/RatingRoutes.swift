import CRMKernel

/// The public rating endpoints behind the link sent when a ticket is solved (the HTML page at
/// `/rate/{token}` of the web interface calls the same code).
enum RatingRoutes {
    static var all: [PluginRoute] { [show, rate] }

    /// `GET /public/service/ratings/:token` → `{"number": ..., "subject": ...}`; 404 for a token
    /// that is not valid, 409-style `invalid_state` for a used or expired one.
    static var show: PluginRoute {
        PluginRoute(.get, "ratings/:token", summary: "What a rating link is for (ticket number and subject)",
                    audience: .anyone(limit: RateLimit(requests: 30, perSeconds: 60))) { request in
            let d = try Ratings.describe(request.store, token: request.parameters["token"] ?? "")
            return .json(.table(["number": .value(.text(d.number)), "subject": .value(.text(d.subject))]))
        }
    }

    /// `POST /public/service/ratings/:token` with `{"score": 1-5, "comment": "..."}`.
    static var rate: PluginRoute {
        PluginRoute(.post, "ratings/:token", summary: "Rate a solved ticket once (JSON: score 1-5, comment)",
                    audience: .anyone(limit: RateLimit(requests: 10, perSeconds: 60)), body: .json) { request in
            let body = request.json?.fields ?? [:]
            var score = body["score"]?.integer
            if score == nil, let t = body["score"]?.text { score = Int64(t) }
            let r = try Ratings.rate(request.store, token: request.parameters["token"] ?? "", score: score, comment: body["comment"]?.text)
            return .json(.table(["rated": .value(.bool(true)), "score": .value(r["score"])]))
        }
    }
}
