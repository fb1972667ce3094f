/** The words of the sign-in, consent and error pages, in English and Spanish. */
const en = {
  lang: "en",
  signInTitle: "Sign in with your Odoo account",
  signInLead: (client: string, odoo: string) => `${client} wants to work with your Odoo data at ${odoo}.`,
  login: "Login or email",
  password: "Password or API key",
  signIn: "Sign in",
  internalOnly: "Only internal Odoo users can connect applications. Portal and archived accounts cannot.",
  rejected: "That login and password did not work. Check them, or ask your Odoo administrator.",
  throttled: (minutes: number) =>
    `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
  unavailable: "Your sign-in could not be completed just now. Try again in a moment.",
  odooUnreachable: (odoo: string) =>
    `This server cannot reach Odoo at ${odoo}, so it cannot check your sign-in. Try again later; if it goes on, tell whoever runs this server to check that Odoo is running at that address.`,
  odooPaused: "Odoo is pausing sign-ins from your network after repeated failed attempts. Try again in a minute.",
  apiKeysOnly:
    "This server works with Odoo through API keys: type an Odoo API key instead of your password. To make one in Odoo, open your avatar menu → Preferences → Account Security → New API Key.",
  apiKeyRequired:
    "That is not an API key. This server works with Odoo through API keys, and Odoo accepts no password there. In Odoo, open your avatar menu → Preferences → Account Security → New API Key, then paste the key here instead of your password.",
  consentTitle: (client: string) => `Allow ${client} to use your Odoo account?`,
  signedInAs: (name: string, login: string) => `Signed in as ${name} (${login}).`,
  redirectNote: (host: string) => `After you decide, you will be sent back to ${host}.`,
  willBeAbleTo: "It will be able to:",
  scopes: {
    "odoo:read": "Read your Odoo records (contacts, products, sales, inventory…)",
    "odoo:write": "Create, change and delete Odoo records",
    offline_access: "Stay connected, without asking you to sign in again",
    openid: "Know who you are",
    profile: "See your name and login",
    email: "See your email address",
  } as Record<string, string>,
  withheld: (client: string) =>
    `Your Odoo user may not create, change or delete records, so ${client} will only be able to read them.`,
  stepUp: (client: string) =>
    `${client} can already read your Odoo records. It now asks to also create, change and delete them.`,
  serverReadOnly: (client: string) =>
    `This server lets apps read Odoo only (it changes nothing in anyone's name), so ${client} will only be able to read records.`,
  scopeNeeded: "Needed for anything the app does.",
  allow: "Allow",
  deny: "Deny",
  revokeLater: "You can take this access back at any time.",
  chooseLater:
    "Untick what you do not want to allow. You can reduce or take back this access at any time on the connected apps page.",
  errorTitle: "Something went wrong",
  errorLead: "The request could not be completed. Close this window and start again from the application.",
  tooManyRegistrations: "Too many client registrations from this address; try again later.",
  accountSignInTitle: "Your connected apps",
  accountSignInLead: (odoo: string) => `Sign in with your Odoo account at ${odoo} to see the apps you allowed.`,
  appsTitle: "Connected apps",
  appsLead: (name: string, login: string) => `Apps you allowed to use your Odoo account, ${name} (${login}).`,
  noApps: "No app can use your Odoo account.",
  grantedOn: "Allowed",
  lastUsed: "Last token",
  returnsTo: "Returns to",
  revoke: "Revoke",
  revoked: (client: string) => `${client} can no longer use your Odoo account.`,
  makeReadOnly: "Let it only read",
  readOnlyExplained:
    "Takes writing back now: its current access ends, and it gets read-only access by itself or asks you to connect again. You can allow writing again here at any time.",
  allowWrite: "Let it also change and delete data",
  allowWriteExplained:
    "Lets it also create, change and delete Odoo records, from the next time it renews its access, without connecting it again.",
  allowedWrite: (client: string) =>
    `${client} may now also create, change and delete your Odoo records, from the next time it renews its access.`,
  madeReadOnly: (client: string) =>
    `${client} can now only read your Odoo records. Its current access has ended; it continues read-only once it renews its access, or asks you to connect again.`,
  declinedWrite: (client: string) =>
    `You allowed ${client} to read only. To let it also create, change and delete records, use the button below.`,
  signOut: "Sign out",
  adminTitle: "odoo-mcp administration",
  adminSignInLead: (odoo: string) => `Sign in as an Odoo administrator of ${odoo}, or with the operator's admin token.`,
  adminToken: "Admin token",
  useAdminToken: "Open with the admin token",
  notAdmin: "Only Odoo administrators (the Settings group) can open the console.",
  clients: "Clients",
  registrationLimits: (count: number, max: number, days: number, unusedHours: number) =>
    `Registered clients: ${count} of at most ${max}. A registered client with no token ${unusedHours} hours after registering, or no token issued to it for ${days} days, is deleted.`,
  clientKinds: {
    preconfigured: "preconfigured",
    registered: "registered itself",
    "metadata document": "metadata document",
    static: "static",
  } as Record<string, string>,
  clientId: "Client id",
  name: "Name",
  kind: "Kind",
  grants: "Grants",
  people: "People and their grants",
  noGrants: "Nobody has allowed an app yet.",
  activeTokens: (access: number, refresh: number) => `Active tokens: ${access} access, ${refresh} refresh.`,
  failures: "Recent sign-in failures (this replica)",
  noFailures: "No failed sign-ins.",
  when: "When",
  reason: "Reason",
  address: "Address",
  where: "Page",
  rotateSecret: "Rotate the ChatGPT client secret",
  rotated: "New secret for chatgpt-odoo-mcp, shown once; paste it into ChatGPT's connector:",
  revokeClient: "Revoke",
  revokeUser: "Revoke",
  revokeAll: "Revoke every grant and token",
  revokedCount: (count: number) => `${count} grant${count === 1 ? "" : "s"} revoked, with their tokens.`,
  signOutTitle: "Sign out of odoo-mcp?",
  signOutAsked: (client: string) => `${client} asks to sign you out.`,
  signOutKeepsApps:
    "Signing out ends your sign-in in this browser only. The apps you allowed keep their access; take it back on the connected apps page.",
  staySignedIn: "Stay signed in",
  notSignedInTitle: "You are not signed in",
  notSignedInLead: "There is no odoo-mcp sign-in in this browser to end.",
  continueTo: (host: string) => `Continue to ${host}`,
  signedOutTitle: "You are signed out",
  signedOutLead:
    "Your sign-in in this browser has ended. The apps you allowed keep their access until you take it back on the connected apps page.",
  stillSignedInTitle: "You are still signed in",
  stillSignedInLead: (client: string) => `${client} no longer uses your sign-in in this browser.`,
  cancel: "Cancel",
  unverifiedName: "unverified — name given by the app itself",
  verifiedOrigin: (host: string) => `verified address: ${host}`,
  registeredTimes: (count: number) =>
    `This app registered itself ${count} times (each new folder or profile of a client does); they are shown and revoked as one.`,
  registrations: (count: number) => `${count} registrations`,
  revokeClientExplained:
    "Revoke ends every grant and token of that app and removes its registrations: it must be connected again.",
  revokeUserExplained: "Revoke ends every grant and token of that person: each of their apps must be connected again.",
  errorCode: "Technical detail for the app's developer",
  refusedAddress: (address: string) =>
    `The app asked to send you to ${address}, an address it has not registered here, so this server did not send you there. The app must register that address or use one it registered.`,
  errorSentences: {
    invalid_client:
      "This server does not know the app that sent you here. Connect the app again from its settings, or ask its developer.",
    invalid_redirect_uri: "The app asked to send you back to an address it has not registered here.",
    invalid_request:
      "The app sent a request this server cannot accept. Start again from the app; if it happens again, tell the app's developer.",
    invalid_scope: "The app asked for permissions this server does not offer.",
    invalid_target: "The app asked for access to a service this server does not protect.",
    unauthorized_client: "This app is not allowed to connect this way.",
    unsupported_response_type: "This app asked to connect in a way this server does not support.",
    unsupported_response_mode: "This app asked to connect in a way this server does not support.",
    request_not_supported: "The app sent its request in a form this server does not accept.",
    request_uri_not_supported: "The app sent its request in a form this server does not accept.",
    invalid_request_uri: "The app's request has expired or was already used. Start again from the app.",
    invalid_request_object: "The app sent its request in a form this server does not accept.",
    access_denied: "The request was cancelled.",
    login_required: "You need to sign in again. Start again from the app.",
    consent_required: "You need to allow the app again. Start again from the app.",
    interaction_required: "You need to sign in again. Start again from the app.",
    temporarily_unavailable:
      "Too many requests came from your network. Wait a few minutes, then start again from the app.",
    server_error: "This server ran into a problem. Try again in a moment.",
    page_expired: "This page has expired, or was opened in another browser or window. Start again from the app.",
  } as Record<string, string>,
  unknownError: "The request could not be completed.",
};

const es: typeof en = {
  lang: "es",
  signInTitle: "Inicia sesión con tu cuenta de Odoo",
  signInLead: (client, odoo) => `${client} quiere trabajar con tus datos de Odoo en ${odoo}.`,
  login: "Usuario o correo electrónico",
  password: "Contraseña o clave API",
  signIn: "Iniciar sesión",
  internalOnly:
    "Solo los usuarios internos de Odoo pueden conectar aplicaciones. Las cuentas de portal o archivadas no.",
  rejected: "Ese usuario y contraseña no han funcionado. Revísalos o consulta a tu administrador de Odoo.",
  throttled: (minutes) =>
    `Demasiados intentos fallidos. Vuelve a intentarlo en ${minutes} minuto${minutes === 1 ? "" : "s"}.`,
  unavailable: "No se pudo completar tu inicio de sesión ahora. Inténtalo de nuevo en un momento.",
  odooUnreachable: (odoo) =>
    `Este servidor no puede contactar con Odoo en ${odoo}, así que no puede comprobar tu acceso. Inténtalo más tarde; si sigue pasando, pide a quien administra este servidor que compruebe que Odoo está en marcha en esa dirección.`,
  odooPaused:
    "Odoo ha pausado los accesos desde tu red tras varios intentos fallidos. Vuelve a intentarlo en un minuto.",
  apiKeysOnly:
    "Este servidor trabaja con Odoo mediante claves API: escribe una clave API de Odoo en lugar de tu contraseña. Para crearla en Odoo, abre el menú de tu avatar → Preferencias → Seguridad de la cuenta → Nueva clave API.",
  apiKeyRequired:
    "Eso no es una clave API. Este servidor trabaja con Odoo mediante claves API, y Odoo no acepta ahí una contraseña. En Odoo, abre el menú de tu avatar → Preferencias → Seguridad de la cuenta → Nueva clave API, y pega aquí la clave en lugar de tu contraseña.",
  consentTitle: (client) => `¿Permitir que ${client} use tu cuenta de Odoo?`,
  signedInAs: (name, login) => `Has iniciado sesión como ${name} (${login}).`,
  redirectNote: (host) => `Cuando decidas, volverás a ${host}.`,
  willBeAbleTo: "Podrá:",
  scopes: {
    "odoo:read": "Leer tus registros de Odoo (contactos, productos, ventas, inventario…)",
    "odoo:write": "Crear, modificar y eliminar registros de Odoo",
    offline_access: "Seguir conectada sin pedirte que inicies sesión de nuevo",
    openid: "Saber quién eres",
    profile: "Ver tu nombre y usuario",
    email: "Ver tu dirección de correo",
  },
  withheld: (client) =>
    `Tu usuario de Odoo no puede crear, modificar ni eliminar registros, así que ${client} solo podrá leerlos.`,
  stepUp: (client) =>
    `${client} ya puede leer tus registros de Odoo. Ahora pide también crear, modificar y eliminar registros.`,
  serverReadOnly: (client) =>
    `Este servidor solo deja leer Odoo (no cambia nada en nombre de nadie), así que ${client} solo podrá leer registros.`,
  scopeNeeded: "Necesario para cualquier cosa que haga la aplicación.",
  allow: "Permitir",
  deny: "Denegar",
  revokeLater: "Puedes retirar este acceso cuando quieras.",
  chooseLater:
    "Desmarca lo que no quieras permitir. Puedes reducir o retirar este acceso cuando quieras en la página de aplicaciones conectadas.",
  errorTitle: "Algo ha fallado",
  errorLead: "No se pudo completar la solicitud. Cierra esta ventana y vuelve a empezar desde la aplicación.",
  tooManyRegistrations: "Demasiados registros de clientes desde esta dirección; inténtalo más tarde.",
  accountSignInTitle: "Tus aplicaciones conectadas",
  accountSignInLead: (odoo) =>
    `Inicia sesión con tu cuenta de Odoo en ${odoo} para ver las aplicaciones que permitiste.`,
  appsTitle: "Aplicaciones conectadas",
  appsLead: (name, login) => `Aplicaciones a las que permitiste usar tu cuenta de Odoo, ${name} (${login}).`,
  noApps: "Ninguna aplicación puede usar tu cuenta de Odoo.",
  grantedOn: "Permitida",
  lastUsed: "Último token",
  returnsTo: "Vuelve a",
  revoke: "Revocar",
  revoked: (client) => `${client} ya no puede usar tu cuenta de Odoo.`,
  makeReadOnly: "Permitir solo lectura",
  readOnlyExplained:
    "Retira ahora la escritura: su acceso actual termina, y obtiene acceso de solo lectura por sí misma o te pide que vuelvas a conectarla. Puedes volver a permitir la escritura aquí cuando quieras.",
  allowWrite: "Permitir que también modifique y elimine datos",
  allowWriteExplained:
    "Le permite también crear, modificar y eliminar registros de Odoo, a partir de la próxima vez que renueve su acceso, sin volver a conectarla.",
  allowedWrite: (client) =>
    `${client} ya puede también crear, modificar y eliminar tus registros de Odoo, a partir de la próxima vez que renueve su acceso.`,
  madeReadOnly: (client) =>
    `${client} ahora solo puede leer tus registros de Odoo. Su acceso actual ha terminado; seguirá en solo lectura al renovar su acceso, o te pedirá que vuelvas a conectarla.`,
  declinedWrite: (client) =>
    `Permitiste que ${client} solo lea. Para que también pueda crear, modificar y eliminar registros, usa el botón de abajo.`,
  signOut: "Cerrar sesión",
  adminTitle: "Administración de odoo-mcp",
  adminSignInLead: (odoo) =>
    `Inicia sesión como administrador de Odoo en ${odoo}, o con el token de administración del operador.`,
  adminToken: "Token de administración",
  useAdminToken: "Entrar con el token de administración",
  notAdmin: "Solo los administradores de Odoo (grupo Ajustes) pueden abrir la consola.",
  clients: "Clientes",
  registrationLimits: (count, max, days, unusedHours) =>
    `Clientes registrados: ${count} de un máximo de ${max}. Se elimina un cliente registrado sin ningún token ${unusedHours} horas después de registrarse, o que no recibe ningún token en ${days} días.`,
  clientKinds: {
    preconfigured: "preconfigurado",
    registered: "se registró sola",
    "metadata document": "documento de metadatos",
    static: "estático",
  },
  clientId: "Id de cliente",
  name: "Nombre",
  kind: "Tipo",
  grants: "Permisos",
  people: "Personas y sus permisos",
  noGrants: "Nadie ha permitido todavía ninguna aplicación.",
  activeTokens: (access, refresh) => `Tokens activos: ${access} de acceso, ${refresh} de renovación.`,
  failures: "Inicios de sesión fallidos recientes (esta réplica)",
  noFailures: "Ningún inicio de sesión fallido.",
  when: "Cuándo",
  reason: "Motivo",
  address: "Dirección",
  where: "Página",
  rotateSecret: "Rotar el secreto del cliente de ChatGPT",
  rotated: "Nuevo secreto de chatgpt-odoo-mcp, se muestra una sola vez; pégalo en el conector de ChatGPT:",
  revokeClient: "Revocar",
  revokeUser: "Revocar",
  revokeAll: "Revocar todos los permisos y tokens",
  revokedCount: (count) =>
    `${count} permiso${count === 1 ? "" : "s"} revocado${count === 1 ? "" : "s"}, con sus tokens.`,
  signOutTitle: "¿Cerrar sesión en odoo-mcp?",
  signOutAsked: (client) => `${client} pide cerrar tu sesión.`,
  signOutKeepsApps:
    "Cerrar sesión solo termina tu sesión en este navegador. Las aplicaciones que permitiste conservan su acceso; puedes retirarlo en la página de aplicaciones conectadas.",
  staySignedIn: "Mantener la sesión",
  notSignedInTitle: "No has iniciado sesión",
  notSignedInLead: "No hay ninguna sesión de odoo-mcp en este navegador que cerrar.",
  continueTo: (host) => `Continuar a ${host}`,
  signedOutTitle: "Has cerrado la sesión",
  signedOutLead:
    "Tu sesión en este navegador ha terminado. Las aplicaciones que permitiste conservan su acceso hasta que lo retires en la página de aplicaciones conectadas.",
  stillSignedInTitle: "Sigues con la sesión iniciada",
  stillSignedInLead: (client) => `${client} ya no usa tu sesión en este navegador.`,
  cancel: "Cancelar",
  unverifiedName: "sin verificar: nombre dado por la propia aplicación",
  verifiedOrigin: (host) => `dirección verificada: ${host}`,
  registeredTimes: (count) =>
    `Esta aplicación se registró ${count} veces (lo hace cada carpeta o perfil nuevo de un cliente); se muestran y se revocan como una sola.`,
  registrations: (count) => `${count} registros`,
  revokeClientExplained:
    "Revocar termina todos los permisos y tokens de esa aplicación y borra sus registros: habrá que conectarla de nuevo.",
  revokeUserExplained:
    "Revocar termina todos los permisos y tokens de esa persona: habrá que volver a conectar cada una de sus aplicaciones.",
  errorCode: "Detalle técnico para quien desarrolla la aplicación",
  refusedAddress: (address) =>
    `La aplicación pidió enviarte a ${address}, una dirección que no ha registrado aquí, así que este servidor no te ha enviado allí. La aplicación debe registrar esa dirección o usar una de las que registró.`,
  errorSentences: {
    invalid_client:
      "Este servidor no conoce la aplicación que te ha traído aquí. Vuelve a conectarla desde sus ajustes o consulta a quien la desarrolla.",
    invalid_redirect_uri: "La aplicación pidió devolverte a una dirección que no ha registrado aquí.",
    invalid_request:
      "La aplicación envió una solicitud que este servidor no puede aceptar. Vuelve a empezar desde la aplicación; si se repite, avisa a quien la desarrolla.",
    invalid_scope: "La aplicación pidió permisos que este servidor no ofrece.",
    invalid_target: "La aplicación pidió acceso a un servicio que este servidor no protege.",
    unauthorized_client: "Esta aplicación no puede conectarse de esta forma.",
    unsupported_response_type: "Esta aplicación pidió conectarse de una forma que este servidor no admite.",
    unsupported_response_mode: "Esta aplicación pidió conectarse de una forma que este servidor no admite.",
    request_not_supported: "La aplicación envió su solicitud en un formato que este servidor no acepta.",
    request_uri_not_supported: "La aplicación envió su solicitud en un formato que este servidor no acepta.",
    invalid_request_uri: "La solicitud de la aplicación ha caducado o ya se usó. Vuelve a empezar desde la aplicación.",
    invalid_request_object: "La aplicación envió su solicitud en un formato que este servidor no acepta.",
    access_denied: "Se canceló la solicitud.",
    login_required: "Tienes que volver a iniciar sesión. Vuelve a empezar desde la aplicación.",
    consent_required: "Tienes que volver a permitir la aplicación. Vuelve a empezar desde la aplicación.",
    interaction_required: "Tienes que volver a iniciar sesión. Vuelve a empezar desde la aplicación.",
    temporarily_unavailable:
      "Han llegado demasiadas solicitudes desde tu red. Espera unos minutos y vuelve a empezar desde la aplicación.",
    server_error: "Este servidor tuvo un problema. Inténtalo de nuevo en un momento.",
    page_expired:
      "Esta página ha caducado, o se abrió en otro navegador o ventana. Vuelve a empezar desde la aplicación.",
  },
  unknownError: "No se pudo completar la solicitud.",
};

export type Strings = typeof en;

/** English or Spanish, whichever the browser prefers first (`Accept-Language`, q-values honoured). */
export function stringsFor(acceptLanguage: string | undefined): Strings {
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().toLowerCase().split(";");
      const q = params.find((param) => param.trim().startsWith("q="));
      return { tag, q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter(({ tag, q }) => tag && q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith("es")) return es;
    if (tag.startsWith("en")) return en;
  }
  return en;
}
