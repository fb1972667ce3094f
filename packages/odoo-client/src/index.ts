export type { OdooClient, OdooFile, OdooProtocol, OdooServer, OdooTransport } from "./client.js";
export {
  chooseProtocol,
  createOdooClient,
  credentialKind,
  detectRelease,
  looksLikeApiKey,
  type OdooProtocolSetting,
  type OdooSettings,
} from "./connect.js";
export { OdooError, type OdooErrorKind } from "./errors.js";
export type { StreamOptions } from "./http.js";
export * from "./methods.js";
export { type RightsRules, type UserRights, userRights } from "./rights.js";
export {
  createOdooSignIn,
  type LoginOutcome,
  type OdooIdentity,
  type OdooSignInSettings,
  type VerifyOdooLogin,
} from "./sign-in.js";
export { json2Body } from "./transports/json2.js";
export { atLeast, capabilitiesOf, type OdooCapabilities, type OdooRelease, parseRelease } from "./version.js";
