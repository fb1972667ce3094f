// The xmlrpc package's date formatter on its own, which @types/xmlrpc does not declare: the built-in
// codec encodes and decodes dateTime.iso8601 as the package does without loading its client.
declare module "xmlrpc/lib/date_formatter.js" {
  const dateFormatter: { encodeIso8601(date: Date): string; decodeIso8601(text: string): Date };
  export default dateFormatter;
}
