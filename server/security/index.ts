export { makeGuard, crossOrigin, type GuardDecision, type GuardRequest, type SecurityPolicy } from './guard';
export { allowedHosts, hostnameOf, isAllowedHost } from './host';
export { badRequestPath } from './request-path';
export { cookieName, generateToken, parseCookies, presentedTokens, tokenCookie, tokensEqual } from './token';
