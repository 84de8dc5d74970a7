"""Who may do what: bearer JWTs verified against the issuer's keys (`auth`), the dev signing key
(`devkeys`), group-based read visibility and write checks (`permissions`), and the limits every
request is held to before it runs (`limits`)."""
