import type { SimUser } from "../orm/env.js";

/**
 * The demo database's users. Each can sign in with its password or its API key (Odoo accepts both
 * wherever a password is expected); archived users cannot sign in at all.
 */
export const DEMO_USERS: readonly SimUser[] = [
  { id: 1, login: "__system__", name: "OdooBot", password: "", apiKey: "", group: "admin", active: false },
  {
    id: 2,
    login: "admin",
    name: "Mitchell Admin",
    password: "admin",
    apiKey: "6f1b2c3d4e5f60718293a4b5c6d7e8f901234567",
    group: "admin",
    active: true,
  },
  {
    id: 3,
    login: "demo",
    name: "Marc Demo",
    password: "demo",
    apiKey: "0a9b8c7d6e5f40312a2b3c4d5e6f708192a3b4c5",
    group: "user",
    active: true,
  },
  {
    id: 4,
    login: "portal",
    name: "Joel Willis",
    password: "portal",
    apiKey: "11223344556677889900aabbccddeeff00112233",
    group: "portal",
    active: true,
  },
  {
    id: 5,
    login: "former",
    name: "Laura Former",
    password: "former",
    apiKey: "ffeeddccbbaa00998877665544332211ffeeddcc",
    group: "user",
    active: false,
  },
];
