// Linksys network map: the router, its mesh nodes and their clients, from one websocket
// subscription (linksys_jnap/subscribe_topology). Served and loaded by the integration;
// plain JavaScript, no build step. It never reads entity states: a poll that changed
// something sends one message, and the card redraws from it.

const CARD = "linksys-network-card";
const BANDS = [
  ["6", "6 GHz"],
  ["5", "5 GHz"],
  ["2.4", "2.4 GHz"],
];

const STYLE = `
  :host { display: block; }
  ha-card { padding: 12px 16px 16px; }
  .head { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
  .title { font-size: 1.25em; font-weight: 500; color: var(--primary-text-color); }
  .summary, .muted { color: var(--secondary-text-color); font-size: 0.9em; }
  .warn { color: var(--error-color, #db4437); font-size: 0.9em; }
  .node { margin-top: 10px; }
  .children { margin-left: 14px; padding-left: 12px; border-left: 2px solid var(--divider-color, #e0e0e0); }
  .nodehead { display: flex; align-items: center; gap: 8px; padding: 6px 8px; border-radius: 10px;
    background: var(--secondary-background-color, #f3f3f3); cursor: pointer; flex-wrap: wrap; }
  .nodehead ha-icon { color: var(--primary-color); --mdc-icon-size: 22px; }
  .nodehead .name { font-weight: 500; color: var(--primary-text-color); }
  .node.offline > .nodehead { opacity: 0.55; }
  .node.offline > .nodehead ha-icon { color: var(--disabled-text-color, #9e9e9e); }
  .chip { font-size: 0.78em; padding: 1px 7px; border-radius: 9px; white-space: nowrap;
    background: var(--card-background-color, #fff); color: var(--secondary-text-color);
    border: 1px solid var(--divider-color, #e0e0e0); }
  .chip.on { color: var(--success-color, #43a047); border-color: currentColor; }
  .chip.off { color: var(--error-color, #db4437); border-color: currentColor; }
  .chip.guest { color: var(--warning-color, #ffa600); border-color: currentColor; }
  .group { margin: 6px 0 0 10px; font-size: 0.8em; font-weight: 500; text-transform: uppercase;
    letter-spacing: 0.04em; color: var(--secondary-text-color); }
  .clients { margin-left: 10px; }
  /* Rows off screen are not laid out (1,000 clients): about 28 px each until shown. */
  .client { content-visibility: auto; contain-intrinsic-size: auto 28px; }
  .client { display: flex; align-items: center; gap: 8px; padding: 3px 6px; border-radius: 6px;
    cursor: pointer; height: 22px; contain: layout style; }
  .client:hover { background-color: var(--secondary-background-color, #f3f3f3); }
  .nodehead:hover { filter: brightness(0.96); }
  .dot { flex: none; width: 9px; height: 9px; border-radius: 50%; background: var(--success-color, #43a047); }
  .client.left .dot { background: var(--warning-color, #ffa600); }
  .client.away { color: var(--disabled-text-color, #9e9e9e); }
  .client.away .cname, .client.away .meta { color: var(--disabled-text-color, #9e9e9e); }
  .client.away .dot { background: var(--disabled-text-color, #9e9e9e); }
  .cname { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; color: var(--primary-text-color); }
  .meta { display: flex; gap: 6px; align-items: center; color: var(--secondary-text-color); font-size: 0.85em; }
  .bars { display: inline-flex; gap: 1px; align-items: flex-end; height: 10px; }
  .bars i { width: 3px; background: var(--divider-color, #ccc); border-radius: 1px; }
  .bars i.lit { background: var(--primary-color); }
  .empty { margin: 4px 0 0 28px; }
`;

function esc(value) {
  return String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

function bandLabel(band) {
  if (!band) return null;
  const number = String(band).toUpperCase().split("_")[0].replace("GHZ", "").trim();
  const found = BANDS.find(([n]) => n === number);
  return found ? found[1] : band;
}

// Four bars: -50 dBm or better lights all, each 10 dB less one fewer.
function bars(dbm) {
  if (dbm === null || dbm === undefined) return "";
  const lit = dbm >= -50 ? 4 : dbm >= -60 ? 3 : dbm >= -70 ? 2 : 1;
  let out = `<span class="bars" title="${esc(dbm)} dBm">`;
  for (let i = 1; i <= 4; i += 1) {
    out += `<i class="${i <= lit ? "lit" : ""}" style="height:${2 + i * 2}px"></i>`;
  }
  return `${out}</span>`;
}

function backhaul(node) {
  const link = node.backhaul;
  if (!link) return "";
  if (link.type === "wired") return `<span class="chip">wired backhaul</span>`;
  const parts = ["Wi-Fi backhaul"];
  if (link.signal_dbm !== null && link.signal_dbm !== undefined) parts.push(`${link.signal_dbm} dBm`);
  if (link.speed_mbps) parts.push(`${Math.round(link.speed_mbps)} Mbps`);
  return `<span class="chip">${esc(parts.join(" · "))}</span>`;
}

class LinksysNetworkCard extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._config = {};
    this._topology = null;
    this._error = null;
    this._unsub = null;
    this._retry = null;
    this.renderMs = null;
    this.renders = 0;
    this.shadowRoot.addEventListener("click", (ev) => this._tap(ev));
  }

  static getConfigForm() {
    return {
      schema: [
        { name: "entry_id", selector: { config_entry: { integration: "linksys_jnap" } } },
        { name: "title", selector: { text: {} } },
        {
          type: "grid",
          name: "",
          schema: [
            { name: "show_offline", selector: { boolean: {} } },
            { name: "show_guests", selector: { boolean: {} } },
          ],
        },
      ],
      computeLabel: (schema) =>
        ({
          entry_id: "Router",
          title: "Title",
          show_offline: "Show away clients",
          show_guests: "Show guest clients",
        })[schema.name],
    };
  }

  static getStubConfig() {
    return { show_offline: true, show_guests: true };
  }

  setConfig(config) {
    const previous = this._config.entry_id;
    this._config = { show_offline: true, show_guests: true, ...config };
    if (this._hass && previous !== this._config.entry_id) this._resubscribe();
    else this._render();
  }

  set hass(hass) {
    // Only the connection matters: entity states are not read (hass changes at every one).
    const first = !this._hass;
    this._hass = hass;
    if (first && this.isConnected) this._subscribe();
  }

  get hass() {
    return this._hass;
  }

  connectedCallback() {
    if (this._hass && !this._unsub) this._subscribe();
  }

  disconnectedCallback() {
    this._unsubscribe();
  }

  getCardSize() {
    const t = this._topology;
    if (!t) return 3;
    return Math.min(20, 2 + t.nodes.length + Math.ceil(t.clients.length / 3));
  }

  _subscribe() {
    if (this._unsub || !this._hass) return;
    const msg = { type: "linksys_jnap/subscribe_topology" };
    if (this._config.entry_id) msg.entry_id = this._config.entry_id;
    this._unsub = this._hass.connection
      .subscribeMessage((topology) => this._receive(topology), msg)
      .catch((err) => {
        this._unsub = null;
        this._error = err && err.message ? err.message : String(err);
        this._render();
        this._later();
      });
  }

  _unsubscribe() {
    clearTimeout(this._retry);
    this._retry = null;
    const unsub = this._unsub;
    this._unsub = null;
    if (unsub) unsub.then((fn) => fn && fn()).catch(() => {});
  }

  _resubscribe() {
    this._unsubscribe();
    this._topology = null;
    this._subscribe();
  }

  // The router's entry reloads or is not loaded yet: ask again in a few seconds.
  _later() {
    clearTimeout(this._retry);
    this._retry = setTimeout(() => {
      this._retry = null;
      if (this.isConnected) this._subscribe();
    }, 5000);
  }

  _receive(topology) {
    if (topology.unloaded) {
      this._unsubscribe();
      this._later();
      return;
    }
    this._error = null;
    this._topology = topology;
    this._render();
  }

  _tap(ev) {
    const target = ev.composedPath().find((el) => el.dataset && el.dataset.entity);
    if (!target) return;
    this.dispatchEvent(
      new CustomEvent("hass-more-info", {
        detail: { entityId: target.dataset.entity },
        bubbles: true,
        composed: true,
      }),
    );
  }

  _visible(client) {
    if (!this._config.show_offline && !client.home) return false;
    if (!this._config.show_guests && client.guest) return false;
    return true;
  }

  _clientRow(client) {
    const state = client.connected ? "home" : client.home ? "left" : "away";
    const text = client.connected ? "home" : client.home ? "left, home" : "away";
    const meta = [];
    if (client.guest) meta.push(`<span class="chip guest">guest</span>`);
    if (client.connected) {
      if (client.wireless === false) meta.push(`<span>wired</span>`);
      else if (client.band) meta.push(`<span>${esc(bandLabel(client.band))}</span>`);
      meta.push(bars(client.signal_dbm));
    }
    meta.push(`<span class="state">${text}</span>`);
    const entity = client.entity_id ? ` data-entity="${esc(client.entity_id)}"` : "";
    return (
      `<div class="client ${state}" data-id="${esc(client.id)}"${entity}` +
      ` title="${esc(client.ip || "")}"><span class="dot"></span>` +
      `<span class="cname">${esc(client.name)}</span><span class="meta">${meta.join("")}</span></div>`
    );
  }

  _clientsByBand(clients) {
    const groups = new Map();
    for (const client of clients) {
      let label = "Not connected";
      if (client.connected) label = client.wireless === false ? "Wired" : bandLabel(client.band) || "Wi-Fi";
      if (!groups.has(label)) groups.set(label, []);
      groups.get(label).push(client);
    }
    const order = ["6 GHz", "5 GHz", "2.4 GHz", "Wi-Fi", "Wired", "Not connected"];
    return [...groups.entries()]
      .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
      .map(
        ([label, list]) =>
          `<div class="group">${esc(label)} · ${list.length}</div>` +
          `<div class="clients">${list.map((c) => this._clientRow(c)).join("")}</div>`,
      )
      .join("");
  }

  _node(node, byParent, byNode, mesh) {
    const clients = byNode.get(node.id) || [];
    const icon = node.primary ? "mdi:router-wireless" : "mdi:access-point";
    const status = node.online
      ? `<span class="chip on">online</span>`
      : `<span class="chip off">offline</span>`;
    const entity = node.entity_id ? ` data-entity="${esc(node.entity_id)}"` : "";
    const count = `${node.clients} client${node.clients === 1 ? "" : "s"}`;
    const model = node.model ? `<span class="muted">${esc(node.model)}</span>` : "";
    const body = mesh
      ? `<div class="clients">${clients.map((c) => this._clientRow(c)).join("")}</div>`
      : this._clientsByBand(clients);
    const children = (byParent.get(node.id) || [])
      .map((child) => this._node(child, byParent, byNode, mesh))
      .join("");
    return (
      `<div class="node ${node.online ? "online" : "offline"}" data-id="${esc(node.id)}">` +
      `<div class="nodehead"${entity}><ha-icon icon="${icon}"></ha-icon>` +
      `<span class="name">${esc(node.name)}</span>${model}${status}` +
      `<span class="chip">${count}</span>${backhaul(node)}</div>` +
      `${body}${children ? `<div class="children">${children}</div>` : ""}</div>`
    );
  }

  _html() {
    const t = this._topology;
    const title = this._config.title || (t && t.title) || "Network";
    const head =
      `<div class="head"><span class="title">${esc(title)}</span>` +
      (t
        ? `<span class="summary">${t.clients.filter((c) => c.connected).length} connected` +
          ` · ${t.clients.filter((c) => c.home).length} home` +
          (t.mesh ? ` · ${t.nodes.length} nodes` : "") +
          `</span>`
        : "") +
      `</div>`;
    if (this._error) return `${head}<div class="warn">${esc(this._error)}</div>`;
    if (!t) return `${head}<div class="muted">Loading…</div>`;
    const byNode = new Map();
    const loose = [];
    for (const client of t.clients) {
      if (!this._visible(client)) continue;
      if (client.node === null || client.node === undefined) loose.push(client);
      else {
        if (!byNode.has(client.node)) byNode.set(client.node, []);
        byNode.get(client.node).push(client);
      }
    }
    const byParent = new Map();
    const roots = [];
    for (const node of t.nodes) {
      if (node.parent === null || node.parent === undefined) roots.push(node);
      else {
        if (!byParent.has(node.parent)) byParent.set(node.parent, []);
        byParent.get(node.parent).push(node);
      }
    }
    const tree = roots.map((node) => this._node(node, byParent, byNode, t.mesh)).join("");
    const offline = loose.length
      ? `<div class="group">Not connected since start · ${loose.length}</div>` +
        `<div class="clients">${loose.map((c) => this._clientRow(c)).join("")}</div>`
      : "";
    const unavailable = t.available ? "" : `<div class="warn">The router does not answer; last known map.</div>`;
    return `${head}${unavailable}<div class="tree">${tree}</div>${offline}`;
  }

  _render() {
    const started = performance.now();
    if (!this._root) {
      this.shadowRoot.innerHTML = `<style>${STYLE}</style><ha-card></ha-card>`;
      this._root = this.shadowRoot.querySelector("ha-card");
    }
    this._root.innerHTML = this._html();
    // Layout included: what the user waits for, not just the string building.
    void this._root.offsetHeight;
    this.renderMs = performance.now() - started;
    this.renders += 1;
    this.dataset.renders = String(this.renders);
  }
}

if (!customElements.get(CARD)) {
  customElements.define(CARD, LinksysNetworkCard);
  window.customCards = window.customCards || [];
  window.customCards.push({
    type: CARD,
    name: "Linksys network map",
    description: "The router, its mesh nodes and every client: backhaul, band, signal, presence.",
    preview: true,
    documentationURL: "https://github.com/linksys-jnap/linksys_jnap#the-network-map-card",
  });
}
