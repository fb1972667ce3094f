/**
 * The records the Spanish guide's questions need (Spanish customers, laptops in stock in a central
 * warehouse and a north store, a second company), as plain data. The simulator's demo database is built
 * from them, and the real-Odoo targets load the same data over RPC, so the guide's examples read the same
 * answers on both.
 */
export type ProductKind = "storable" | "consu" | "service";

/** The company the data belongs to (the main one), and the second one a person may switch to. */
export const MAIN_COMPANY = { name: "Mi Empresa S.L.", country: "ES", email: "info@miempresa.example" } as const;
export const SECOND_COMPANY = { name: "Mi Empresa México S.A. de C.V.", country: "MX", currency: "MXN" } as const;

/**
 * The guide's countries as a Spanish-speaking company sees them once Odoo's Spanish is loaded: the names
 * base's i18n/es.po gives res.country (a translated field). The real-Odoo sources here ship no .po files,
 * so the real-Odoo fixtures write these names in es_ES as loading the language would.
 */
export const SPANISH_COUNTRY_NAMES: Readonly<Record<string, string>> = {
  ES: "España",
  FR: "Francia",
  DE: "Alemania",
  IT: "Italia",
  PT: "Portugal",
  BE: "Bélgica",
  US: "Estados Unidos",
  GB: "Reino Unido",
  MX: "México",
  AR: "Argentina",
  CO: "Colombia",
  CL: "Chile",
};

export const PARTNER_TAGS = ["VIP", "Distributor", "Prospect", "Key Account"] as const;

/** [company, country code, city, customer?, supplier?, archived?] */
const COMPANIES: [string, string, string, boolean, boolean, boolean][] = [
  ["Azure Interior", "US", "Fremont", true, false, false],
  ["Deco Addict", "US", "Pleasant Hill", true, false, false],
  ["Gemini Furniture", "US", "Fairfield", true, true, false],
  ["Lumber Inc", "US", "Stockton", false, true, false],
  ["Ready Mat", "US", "Tracy", true, false, false],
  ["Wood Corner", "US", "Turlock", false, true, false],
  ["Construcciones Ebro S.L.", "ES", "Zaragoza", true, false, false],
  ["Distribuciones Levante S.A.", "ES", "Valencia", true, false, false],
  ["Ferretería Martínez", "ES", "Madrid", true, false, false],
  ["Hostelería del Sur S.L.", "ES", "Sevilla", true, false, false],
  ["Informática Cantábrica S.L.", "ES", "Santander", true, false, false],
  ["Muebles Galicia S.A.", "ES", "A Coruña", true, true, false],
  ["Oficinas Barcelona S.L.", "ES", "Barcelona", true, false, false],
  ["Papelería Castilla", "ES", "Valladolid", true, false, false],
  ["Suministros Bilbao S.L.", "ES", "Bilbao", true, false, false],
  ["Tecnología Balear S.L.", "ES", "Palma", true, false, false],
  ["Viajes Canarias S.A.", "ES", "Las Palmas", true, false, true],
  ["Componentes Ibéricos S.A.", "ES", "Alicante", false, true, false],
  ["Bureau Parisien SARL", "FR", "Paris", true, false, false],
  ["Lyon Logistique SAS", "FR", "Lyon", true, false, false],
  ["Berliner Büro GmbH", "DE", "Berlin", true, false, false],
  ["Münchner Technik AG", "DE", "München", false, true, false],
  ["Milano Design S.r.l.", "IT", "Milano", true, false, false],
  ["Lisboa Serviços Lda", "PT", "Lisboa", true, false, false],
  ["Brussels Supplies NV", "BE", "Brussels", false, true, false],
  ["London Office Ltd", "GB", "London", true, false, false],
  ["Comercial Azteca S.A. de C.V.", "MX", "Ciudad de México", true, false, false],
  ["Pampa Digital S.A.", "AR", "Buenos Aires", true, false, true],
  ["Andes Tech S.A.S.", "CO", "Bogotá", true, false, false],
  ["Pacífico Import SpA", "CL", "Santiago", false, true, false],
];

const FIRST_NAMES = [
  "Ana",
  "Luis",
  "Marta",
  "Jorge",
  "Lucía",
  "Pablo",
  "Elena",
  "David",
  "Sara",
  "Carlos",
  "Julie",
  "Thomas",
];
const LAST_NAMES = [
  "García",
  "López",
  "Martín",
  "Sánchez",
  "Pérez",
  "Gómez",
  "Ruiz",
  "Díaz",
  "Moreno",
  "Dubois",
  "Schmidt",
  "Rossi",
];
const JOBS = ["Purchasing Manager", "Accountant", "CEO", "Office Manager", "IT Manager"];

export interface PartnerFixture {
  name: string;
  is_company: boolean;
  /** The company (by name) this contact works for. */
  parent?: string;
  city: string;
  /** ISO code of the country. */
  country: string;
  email?: string;
  phone?: string;
  website?: string;
  function?: string;
  vat?: string;
  customer_rank: number;
  supplier_rank: number;
  /** The language the partner writes in, where that language is installed. */
  lang?: string;
  active: boolean;
  /** The main company's administrator is their salesperson. */
  adminIsSalesperson?: boolean;
  tags: (typeof PARTNER_TAGS)[number][];
  /** Belongs to the second company only. */
  secondCompany?: boolean;
}

const ascii = (text: string) =>
  text
    .toLowerCase()
    .normalize("NFD")
    .replace(/[^a-z]+/g, "");

const languageOf = (code: string) =>
  ["ES", "MX", "AR", "CO", "CL"].includes(code) ? "es_ES" : code === "FR" ? "fr_FR" : code === "DE" ? "de_DE" : "en_US";

/** Companies with one or two contacts each, the second company's customers and individual customers, in order. */
export function guidePartners(): PartnerFixture[] {
  const partners: PartnerFixture[] = [];
  let person = 0;
  COMPANIES.forEach(([name, code, city, customer, supplier, archived], index) => {
    const slug = ascii(name).slice(0, 16);
    partners.push({
      name,
      is_company: true,
      city,
      country: code,
      email: `info@${slug}.example`,
      phone: `+${index + 10} 555 01${String(index).padStart(2, "0")}`,
      website: `https://${slug}.example`,
      ...(code === "ES" ? { vat: `ES B${String(10000000 + index * 7919).slice(0, 8)}` } : {}),
      customer_rank: customer ? 1 + (index % 4) : 0,
      supplier_rank: supplier ? 1 : 0,
      lang: languageOf(code),
      active: !archived,
      adminIsSalesperson: index % 3 === 0,
      tags: [
        ...(customer && index % 4 === 0 ? (["VIP"] as const) : []),
        ...(supplier ? (["Distributor"] as const) : []),
        ...(!customer && !supplier ? (["Prospect"] as const) : []),
      ],
    });
    // One or two contacts per company, so there are companies and people to search among.
    for (let contact = 0; contact < 1 + (index % 2); contact++) {
      const first = FIRST_NAMES[person % FIRST_NAMES.length] as string;
      const last = LAST_NAMES[(person * 5 + 3) % LAST_NAMES.length] as string;
      person++;
      partners.push({
        name: `${first} ${last}`,
        is_company: false,
        parent: name,
        function: JOBS[person % JOBS.length] as string,
        email: `${first.toLowerCase()}.${ascii(last)}@${slug}.example`,
        city,
        country: code,
        customer_rank: customer ? 1 : 0,
        supplier_rank: 0,
        active: !archived,
        tags: [],
      });
    }
  });
  // Customers of the second company only: seen when it is among the allowed companies.
  for (const [name, city] of [
    ["Ferretería Guadalajara", "Guadalajara"],
    ["Abarrotes Monterrey", "Monterrey"],
  ] as const) {
    partners.push({
      name,
      is_company: true,
      city,
      country: "MX",
      email: `compras@${ascii(name).slice(0, 16)}.example`,
      customer_rank: 1,
      supplier_rank: 0,
      active: true,
      tags: [],
      secondCompany: true,
    });
  }
  // Individual customers without a company.
  for (const [name, code, city] of [
    ["Carmen Navarro", "ES", "Granada"],
    ["Javier Ortega", "ES", "Murcia"],
    ["Sophie Laurent", "FR", "Nice"],
    ["John Miller", "US", "Austin"],
  ] as const) {
    partners.push({
      name,
      is_company: false,
      city,
      country: code,
      customer_rank: 1,
      supplier_rank: 0,
      email: `${name.split(" ")[0]?.toLowerCase()}@mail.example`,
      active: true,
      tags: [],
    });
  }
  return partners;
}

/** Product categories as [name, parent]; Odoo's own demo data already has "All" and "All / Saleable". */
export const PRODUCT_CATEGORIES: [string, string | null][] = [
  ["All", null],
  ["Saleable", "All"],
  ["Computers", "Saleable"],
  ["Office Furniture", "Saleable"],
  ["Services", "All"],
];

export interface ProductFixture {
  name: string;
  default_code: string;
  list_price: number;
  standard_price: number;
  kind: ProductKind;
  category: string;
  barcode?: string;
  weight: number;
  active: boolean;
  /** On hand in the central warehouse's stock and in the north store's, for storable products. */
  stock?: { central: number; store: number };
}

/** [name, code, price, cost, kind, category] */
const PRODUCTS: [string, string, number, number, ProductKind, string][] = [
  ["Laptop Lenovo ThinkPad X1 Carbon", "LAP-LEN-X1", 1499, 1100, "storable", "Computers"],
  ["Laptop HP EliteBook 840", "LAP-HP-840", 1199, 880, "storable", "Computers"],
  ["Laptop Apple MacBook Air 13", "LAP-APL-MBA13", 1249, 990, "storable", "Computers"],
  ["Laptop Asus ZenBook 14", "LAP-ASU-ZB14", 999, 720, "storable", "Computers"],
  ["Laptop Acer Swift 3", "LAP-ACE-SW3", 749, 540, "storable", "Computers"],
  ["Laptop Dell Latitude 5440", "LAP-DEL-5440", 1099, 810, "storable", "Computers"],
  ['Monitor Dell 27" UltraSharp', "MON-DEL-U27", 429, 300, "storable", "Computers"],
  ['Monitor LG 24" Full HD', "MON-LG-24", 159, 105, "storable", "Computers"],
  ["Docking Station USB-C", "ACC-DOCK-C", 189, 120, "storable", "Computers"],
  ["Wireless Mouse", "ACC-MOUSE-W", 29, 12, "storable", "Computers"],
  ["Mechanical Keyboard", "ACC-KEY-MECH", 89, 45, "storable", "Computers"],
  ["Webcam Full HD", "ACC-CAM-FHD", 69, 35, "storable", "Computers"],
  ["USB-C Charger 65W", "ACC-CHG-65", 39, 18, "storable", "Computers"],
  ["Headset with Microphone", "ACC-HEAD-01", 59, 28, "storable", "Computers"],
  ["Laser Printer Brother", "PRN-BRO-L1", 249, 170, "storable", "Computers"],
  ["Office Chair Ergonomic", "FUR-CHAIR-ERG", 329, 190, "storable", "Office Furniture"],
  ["Standing Desk 160x80", "FUR-DESK-STD", 549, 360, "storable", "Office Furniture"],
  ["Meeting Table 8 seats", "FUR-TABLE-M8", 899, 610, "storable", "Office Furniture"],
  ["Filing Cabinet 3 drawers", "FUR-CAB-3D", 199, 120, "storable", "Office Furniture"],
  ["Bookshelf Oak", "FUR-SHELF-OAK", 179, 95, "storable", "Office Furniture"],
  ["Desk Lamp LED", "FUR-LAMP-LED", 45, 20, "consu", "Office Furniture"],
  ["Paper A4 500 sheets", "SUP-PAPER-A4", 5.5, 3.2, "consu", "Saleable"],
  ["Ballpoint Pens (box of 50)", "SUP-PENS-50", 12.9, 6.5, "consu", "Saleable"],
  ["Toner Brother TN-2420", "SUP-TONER-BRO", 79, 48, "consu", "Saleable"],
  ["Notebook A5 Ruled", "SUP-NOTE-A5", 3.75, 1.4, "consu", "Saleable"],
  ["Whiteboard Markers (set of 4)", "SUP-MARK-4", 7.9, 3.1, "consu", "Saleable"],
  ["On-site Installation (hour)", "SRV-INST-H", 65, 0, "service", "Services"],
  ["Remote Support (hour)", "SRV-SUPP-H", 55, 0, "service", "Services"],
  ["Laptop Setup and Imaging", "SRV-IMG-LAP", 49, 0, "service", "Services"],
  ["Extended Warranty 3 years", "SRV-WAR-3Y", 149, 0, "service", "Services"],
  ["Office Relocation Service", "SRV-RELOC", 1200, 0, "service", "Services"],
  ["Tablet Samsung Galaxy Tab S9", "TAB-SAM-S9", 799, 590, "storable", "Computers"],
];

/** The products in order, an archived one last; storable ones have stock in both places (odd ones in the store). */
export function guideProducts(): ProductFixture[] {
  const products: ProductFixture[] = PRODUCTS.map(
    ([name, default_code, list_price, standard_price, kind, category], index) => {
      const number = index + 1;
      return {
        name,
        default_code,
        list_price,
        standard_price,
        kind,
        category,
        ...(kind === "service" ? {} : { barcode: `84${String(1000000000 + index * 7331).slice(0, 11)}` }),
        weight: kind === "storable" ? 1 + (index % 5) * 0.75 : 0,
        active: true,
        ...(kind === "storable"
          ? { stock: { central: 10 + ((number * 17) % 41), store: number % 2 === 1 ? 2 + (number % 6) : 0 } }
          : {}),
      };
    },
  );
  products.push({
    name: "Fax Machine",
    default_code: "OLD-FAX",
    list_price: 99,
    standard_price: 0,
    kind: "storable",
    category: "Computers",
    weight: 0,
    active: false,
  });
  return products;
}

/** The main company's warehouses: the central one (Odoo's first, renamed) and the north store. */
export const WAREHOUSES = [
  { name: "Almacén Central", code: "WH" },
  { name: "Tienda Norte", code: "TN" },
] as const;

/** An extra shelf inside the central warehouse's stock. */
export const SHELF = "Shelf A";

/** An internal user who left: archived, so sign-in is refused. */
export const FORMER_USER = { name: "Laura Former", login: "former", password: "former" } as const;
