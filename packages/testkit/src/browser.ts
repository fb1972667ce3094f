/**
 * A person's browser without the browser: follows redirects, keeps cookies, reads the server's forms
 * and submits them as a person would (type login and password, press Allow or Deny).
 */
export interface Decision {
  login?: string;
  password?: string;
  consent?: "allow" | "deny";
}

export interface AuthorizationOutcome {
  /** Where the server finally sent the browser: the client's redirect URI with code (or error). */
  callback: URL;
  /** The HTML of each page shown on the way. */
  pages: { kind: "login" | "consent"; status: number; html: string }[];
}

export class FormBrowser {
  readonly cookies = new Map<string, string>();

  constructor(readonly acceptLanguage = "en") {}

  private remember(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = ""] = header.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(header) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("accept-language", this.acceptLanguage);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    this.remember(response);
    return response;
  }

  postForm(url: string | URL, fields: Record<string, string>): Promise<Response> {
    return this.request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Runs an authorization request to its end: the redirect to `redirectUri` (never fetched). */
  async authorize(authorizationUrl: URL, redirectUri: string, decision: Decision = {}): Promise<AuthorizationOutcome> {
    const pages: AuthorizationOutcome["pages"] = [];
    let response = await this.request(authorizationUrl);
    let current = authorizationUrl;
    for (let step = 0; step < 20; step++) {
      if (response.status >= 300 && response.status < 400) {
        const next = new URL(response.headers.get("location") as string, current);
        if (
          next.href.startsWith(redirectUri.split("?")[0] as string) &&
          !next.href.startsWith(`${current.origin}/interaction`)
        ) {
          return { callback: next, pages };
        }
        current = next;
        response = await this.request(next);
        continue;
      }
      const html = await response.text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
      const uid = /action="\/interaction\/([^/"]+)\//.exec(html)?.[1];
      if (!csrf || !uid)
        throw new Error(
          `unexpected page (${response.status}): ${/role="alert">([^<]*)/.exec(html)?.[1] ?? html.slice(0, 300)}`,
        );
      if (html.includes(`/interaction/${uid}/login"`)) {
        pages.push({ kind: "login", status: response.status, html });
        if (response.status !== 200)
          throw Object.assign(new Error(`login page answered ${response.status}`), { pages });
        response = await this.postForm(new URL(`/interaction/${uid}/login`, current), {
          csrf,
          login: decision.login ?? "admin",
          password: decision.password ?? "admin",
        });
      } else {
        pages.push({ kind: "consent", status: response.status, html });
        const action = decision.consent === "deny" ? "abort" : "confirm";
        response = await this.postForm(new URL(`/interaction/${uid}/${action}`, current), { csrf });
      }
    }
    throw new Error("too many steps");
  }
}

/**
 * GETs a sign-in page of /account or /admin, then posts its form once per body, all at once (the same form
 * cookie and CSRF token, as a script would); answers each post's status. `headers` go with every request
 * (`x-forwarded-for` to speak from another address when the server trusts a proxy).
 */
export async function postSignInForms(
  base: string,
  page: "/account" | "/admin",
  action: string,
  bodies: Record<string, string>[],
  headers: Record<string, string> = {},
): Promise<number[]> {
  const form = await fetch(`${base}${page}`, { headers });
  const cookie = (form.headers.getSetCookie?.() ?? []).map((value) => value.split(";")[0]).join("; ");
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] as string;
  return Promise.all(
    bodies.map(async (body) => {
      const response = await fetch(`${base}${page}${action}`, {
        method: "POST",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams({ csrf, ...body }).toString(),
        redirect: "manual",
      });
      await response.body?.cancel();
      return response.status;
    }),
  );
}
