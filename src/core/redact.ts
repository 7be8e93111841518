// Credentials out of URLs before they are shown anywhere: logs, status, events, metrics.

/**
 * The URL as it may be shown in logs, status and events: a password, or an http(s) user name (often a
 * token), becomes `***`. An ssh user name is kept: it is not a secret.
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@\s]*)@/i, (whole, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    if (colon >= 0) return `${scheme}${userinfo.slice(0, colon)}:***@`;
    return /^https?:/i.test(scheme) ? `${scheme}***@` : whole;
  });
}

/** Replaces every URL's credentials in free text (git's own error messages may quote the URL). */
export function redactText(text: string): string {
  return text.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s'"]+/gi, (url) => redactUrl(url));
}
