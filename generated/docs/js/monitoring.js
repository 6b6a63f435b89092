
    const schema = {
  "asyncapi": "3.0.0",
  "id": "urn:dev:tidewire:protocol",
  "info": {
    "title": "Tidewire",
    "version": "1.0.0",
    "description": "One WebSocket protocol for campaign, chat and market endpoints. The normative text, with every requirement ID, is docs/protocol.md; this document describes the channels and messages for people and generators.\n\nOperations are described from the client side: `receive` for server→client messages, `send` for client→server messages.",
    "license": {
      "name": "MIT",
      "url": "https://opensource.org/licenses/MIT"
    },
    "contact": {
      "name": "Tidewire maintainers",
      "url": "https://tidewire.dev"
    },
    "tags": [
      {
        "name": "campaign",
        "description": "Progress of message-sending campaigns (source 001 in docs/protocol.md)."
      },
      {
        "name": "chat",
        "description": "Customer chat, conversations, customers, notifications and project rooms (sources 002 and 003)."
      },
      {
        "name": "market",
        "description": "Market data: system status, prices, news, sentiment and model status (source 004)."
      },
      {
        "name": "socket.io",
        "description": "The Socket.IO binding (section 14a of docs/protocol.md): source 002's namespaces and events over the same sessions and data."
      }
    ],
    "externalDocs": {
      "description": "Normative protocol text",
      "url": "https://tidewire.dev/docs/protocol"
    }
  },
  "defaultContentType": "application/json",
  "servers": {
    "reference": {
      "host": "localhost:3000",
      "protocol": "ws",
      "title": "Reference server",
      "description": "The bundled reference server (`npm start`), with simulated sources.",
      "security": [
        {
          "type": "http",
          "scheme": "bearer",
          "bearerFormat": "JWT",
          "description": "JWT (HS256, `sub` = user id) in the `Authorization: Bearer <token>` header of the upgrade request. Preferred."
        },
        {
          "type": "httpApiKey",
          "name": "token",
          "in": "query",
          "description": "JWT in the `token` query parameter, for browsers (which cannot set headers on a WebSocket) and the original clients. Weaker: URLs end up in server, proxy and browser logs."
        },
        {
          "type": "httpApiKey",
          "name": "Sec-WebSocket-Protocol",
          "in": "header",
          "description": "JWT carried as a `bearer.<base64url(token)>` entry of the offered subprotocols (browsers can set this header). The server never selects that entry ([AUTH-005](protocol.html#AUTH-005)). AsyncAPI has no WebSocket-subprotocol scheme; `httpApiKey` in the header that carries it is the closest."
        }
      ]
    },
    "production": {
      "host": "tidewire.example.com",
      "protocol": "wss",
      "title": "Production (placeholder)",
      "description": "A deployed server; replace the host. Production deployments use TLS.",
      "security": [
        {
          "type": "http",
          "scheme": "bearer",
          "bearerFormat": "JWT",
          "description": "JWT (HS256, `sub` = user id) in the `Authorization: Bearer <token>` header of the upgrade request. Preferred."
        },
        {
          "type": "httpApiKey",
          "name": "token",
          "in": "query",
          "description": "JWT in the `token` query parameter, for browsers (which cannot set headers on a WebSocket) and the original clients. Weaker: URLs end up in server, proxy and browser logs."
        },
        {
          "type": "httpApiKey",
          "name": "Sec-WebSocket-Protocol",
          "in": "header",
          "description": "JWT carried as a `bearer.<base64url(token)>` entry of the offered subprotocols (browsers can set this header). The server never selects that entry ([AUTH-005](protocol.html#AUTH-005)). AsyncAPI has no WebSocket-subprotocol scheme; `httpApiKey` in the header that carries it is the closest."
        }
      ]
    },
    "referenceSocketIo": {
      "host": "localhost:3000",
      "pathname": "/socket.io/",
      "protocol": "socket.io",
      "protocolVersion": "5",
      "title": "Reference server, Socket.IO binding",
      "description": "The Socket.IO binding of the bundled reference server (Engine.IO 4, Socket.IO 5), on the port of its WebSocket endpoints, with the polling and websocket transports.",
      "security": [
        {
          "type": "http",
          "scheme": "bearer",
          "bearerFormat": "JWT",
          "description": "JWT (HS256, `sub` = user id) in the data of the Socket.IO CONNECT packet, `{\"token\": \"<JWT>\"}` (socket.io-client's `auth: {token}`), or in the `Authorization: Bearer` header of the Engine.IO handshake request. A CONNECT without a token is accepted for the user of its Engine.IO connection when another namespace of that connection presented one ([SIO-007](protocol.html#SIO-007))."
        }
      ]
    },
    "productionSocketIo": {
      "host": "tidewire.example.com",
      "pathname": "/socket.io/",
      "protocol": "socket.io",
      "protocolVersion": "5",
      "title": "Production (placeholder), Socket.IO binding",
      "description": "A deployed server's Socket.IO binding; replace the host. Production deployments use TLS (https and wss).",
      "security": [
        {
          "type": "http",
          "scheme": "bearer",
          "bearerFormat": "JWT",
          "description": "JWT (HS256, `sub` = user id) in the data of the Socket.IO CONNECT packet, `{\"token\": \"<JWT>\"}` (socket.io-client's `auth: {token}`), or in the `Authorization: Bearer` header of the Engine.IO handshake request. A CONNECT without a token is accepted for the user of its Engine.IO connection when another namespace of that connection presented one ([SIO-007](protocol.html#SIO-007))."
        }
      ]
    }
  },
  "channels": {
    "monitoring": {
      "address": "/api/monitoring/ws",
      "title": "monitoring",
      "summary": "market family: /api/monitoring/ws",
      "description": "Market data: system status, prices, news, sentiment and model status (source 004). Application pings here are JSON `{\"type\":\"ping\"}`/`{\"type\":\"pong\"}`. Data messages: `system_status`.",
      "servers": [
        "$ref:$.servers.reference",
        "$ref:$.servers.production"
      ],
      "messages": {
        "ConnectionEstablished": {
          "name": "connection_established",
          "title": "ConnectionEstablished",
          "summary": "First message on every connection ([HS-002](protocol.html#HS-002)): the session, the protocol version and the timers and limits the server applies.",
          "description": "Server control message. First message on every connection ([HS-002](protocol.html#HS-002)): the session, the protocol version and the timers and limits the server applies.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/connection_established.json",
            "title": "ConnectionEstablished",
            "description": "First message on every connection ([HS-002](protocol.html#HS-002)): the session, the protocol version and the timers and limits the server applies.",
            "type": "object",
            "required": [
              "type"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "connection_established",
                "x-parser-schema-id": "<anonymous-schema-1>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "message": {
                "type": "string",
                "x-parser-schema-id": "<anonymous-schema-2>"
              },
              "sessionId": {
                "type": "string",
                "minLength": 1,
                "x-parser-schema-id": "<anonymous-schema-3>"
              },
              "protocolVersion": {
                "type": "string",
                "x-parser-schema-id": "<anonymous-schema-4>"
              },
              "endpoint": {
                "type": "string",
                "description": "Endpoint name from the catalogue, e.g. `campaigns`.",
                "x-parser-schema-id": "<anonymous-schema-5>"
              },
              "heartbeatIntervalMs": {
                "type": "integer",
                "minimum": 1,
                "x-parser-schema-id": "<anonymous-schema-6>"
              },
              "heartbeatTimeoutMs": {
                "type": "integer",
                "minimum": 1,
                "x-parser-schema-id": "<anonymous-schema-7>"
              },
              "resumeWindowMs": {
                "type": "integer",
                "minimum": 0,
                "x-parser-schema-id": "<anonymous-schema-8>"
              },
              "maxMessageBytes": {
                "type": "integer",
                "minimum": 1,
                "x-parser-schema-id": "<anonymous-schema-9>"
              },
              "rateLimit": {
                "type": "object",
                "required": [
                  "maxMessages",
                  "windowMs"
                ],
                "properties": {
                  "maxMessages": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-11>"
                  },
                  "windowMs": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-12>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-10>"
              },
              "auth": {
                "type": "object",
                "required": [
                  "mode"
                ],
                "properties": {
                  "mode": {
                    "type": "string",
                    "enum": [
                      "required",
                      "optional"
                    ],
                    "x-parser-schema-id": "<anonymous-schema-14>"
                  },
                  "userId": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "x-parser-schema-id": "<anonymous-schema-15>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-13>"
              },
              "resumed": {
                "type": "boolean",
                "description": "True when this connection resumed an earlier session.",
                "x-parser-schema-id": "<anonymous-schema-16>"
              },
              "profiles": {
                "type": "array",
                "items": {
                  "type": "string",
                  "x-parser-schema-id": "<anonymous-schema-18>"
                },
                "description": "The profiles the server offers ([SRC-004](protocol.html#SRC-004)), e.g. `pilito`: each is the set of endpoints of one source system.",
                "x-parser-schema-id": "<anonymous-schema-17>"
              },
              "maxMessageDepth": {
                "type": "integer",
                "minimum": 1,
                "description": "Deepest nesting of arrays and objects accepted in a client message ([ERR-011](protocol.html#ERR-011)).",
                "x-parser-schema-id": "<anonymous-schema-19>"
              },
              "maxMessageItems": {
                "type": "integer",
                "minimum": 1,
                "description": "Most array elements and object members, over the whole message, accepted in a client message ([ERR-011](protocol.html#ERR-011)).",
                "x-parser-schema-id": "<anonymous-schema-20>"
              },
              "userRateLimit": {
                "type": "object",
                "description": "Client messages of all connections of one user together (without a token: of one client address) per window ([RL-009](protocol.html#RL-009)).",
                "required": [
                  "maxMessages",
                  "windowMs"
                ],
                "properties": {
                  "maxMessages": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-22>"
                  },
                  "windowMs": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-23>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-21>"
              },
              "connectionLimits": {
                "type": "object",
                "description": "Open connections allowed per user ([SEC-004](protocol.html#SEC-004)), per client address ([SEC-005](protocol.html#SEC-005)) and in total ([SEC-006](protocol.html#SEC-006)).",
                "properties": {
                  "perUser": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-25>"
                  },
                  "perAddress": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-26>"
                  },
                  "total": {
                    "type": "integer",
                    "minimum": 1,
                    "x-parser-schema-id": "<anonymous-schema-27>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-24>"
              },
              "instanceId": {
                "type": "string",
                "minLength": 1,
                "description": "Which instance of a deployment of several accepted the connection: the same on all of its connections, different on every other instance ([CLU-001](protocol.html#CLU-001)).",
                "x-parser-schema-id": "<anonymous-schema-28>"
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "connection_established",
                "message": "✅ WebSocket connected successfully",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "sessionId": "s_4f9c2a7d1e",
                "protocolVersion": "1.0",
                "endpoint": "conversations",
                "heartbeatIntervalMs": 30000,
                "heartbeatTimeoutMs": 10000,
                "resumeWindowMs": 120000,
                "maxMessageBytes": 65536,
                "rateLimit": {
                  "maxMessages": 100,
                  "windowMs": 60000
                },
                "auth": {
                  "mode": "optional",
                  "userId": "1"
                },
                "profiles": [
                  "campaign-sender",
                  "pilito",
                  "depth",
                  "market-data"
                ]
              }
            ]
          },
          "examples": [
            {
              "name": "connection_established",
              "payload": {
                "type": "connection_established",
                "message": "✅ WebSocket connected successfully",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "sessionId": "s_4f9c2a7d1e",
                "protocolVersion": "1.0",
                "endpoint": "conversations",
                "heartbeatIntervalMs": 30000,
                "heartbeatTimeoutMs": 10000,
                "resumeWindowMs": 120000,
                "maxMessageBytes": 65536,
                "rateLimit": {
                  "maxMessages": 100,
                  "windowMs": 60000
                },
                "auth": {
                  "mode": "optional",
                  "userId": "1"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ConnectionEstablished"
        },
        "AuthenticationError": {
          "name": "authentication_error",
          "title": "AuthenticationError",
          "summary": "Sent when a token is missing (where required), malformed, badly signed or expired; the server then closes with 4001 ([AUTH-001](protocol.html#AUTH-001), [AUTH-002](protocol.html#AUTH-002)).",
          "description": "Server control message. Sent when a token is missing (where required), malformed, badly signed or expired; the server then closes with 4001 ([AUTH-001](protocol.html#AUTH-001), [AUTH-002](protocol.html#AUTH-002)).",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/authentication_error.json",
            "title": "AuthenticationError",
            "description": "Sent when a token is missing (where required), malformed, badly signed or expired; the server then closes with 4001 ([AUTH-001](protocol.html#AUTH-001), [AUTH-002](protocol.html#AUTH-002)).",
            "type": "object",
            "required": [
              "type",
              "message",
              "error_code"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "authentication_error",
                "x-parser-schema-id": "<anonymous-schema-29>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "message": {
                "type": "string",
                "x-parser-schema-id": "<anonymous-schema-30>"
              },
              "error_code": {
                "type": "string",
                "pattern": "^[A-Z][A-Z0-9_]*$",
                "description": "`AUTH_REQUIRED`.",
                "x-parser-schema-id": "<anonymous-schema-31>"
              },
              "closeCode": {
                "type": "integer",
                "minimum": 4000,
                "maximum": 4999,
                "x-parser-schema-id": "<anonymous-schema-32>"
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "authentication_error",
                "message": "Invalid or expired authentication token",
                "error_code": "AUTH_REQUIRED",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "closeCode": 4001
              }
            ]
          },
          "examples": [
            {
              "name": "authentication_error",
              "payload": {
                "type": "authentication_error",
                "message": "Invalid or expired authentication token",
                "error_code": "AUTH_REQUIRED",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "closeCode": 4001
              }
            }
          ],
          "x-parser-unique-object-id": "AuthenticationError"
        },
        "ServerError": {
          "name": "error",
          "title": "ServerError",
          "summary": "An error.",
          "description": "Server control message. An error. Answers a bad client message (the connection stays open) or precedes a 4xxx close, then `error.closeCode` names the code.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/error.json",
            "title": "ServerError",
            "description": "An error. Answers a bad client message (the connection stays open) or precedes a 4xxx close, then `error.closeCode` names the code.",
            "type": "object",
            "required": [
              "type",
              "error"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "error",
                "x-parser-schema-id": "<anonymous-schema-33>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "id": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/request-id.json",
                "title": "RequestId",
                "description": "Client-chosen id of a request. A message with an id gets exactly one `ack` or `error` carrying it ([ACK-001](protocol.html#ACK-001)); a `ping` with an id is answered by a `pong` carrying it instead.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "maxLength": 128,
                "examples": [
                  "req-1",
                  7
                ]
              },
              "error": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/error-object.json",
                "title": "ErrorInfo",
                "description": "The `error` member of an `error` message. `code` is an upper-snake-case string; the known codes are listed in docs/protocol.md (\"Errors\"), others (such as the legacy `SOCKET_ERROR`) are allowed.",
                "type": "object",
                "required": [
                  "code",
                  "message"
                ],
                "properties": {
                  "code": {
                    "type": "string",
                    "pattern": "^[A-Z][A-Z0-9_]*$",
                    "description": "Stable error code.",
                    "x-parser-schema-id": "<anonymous-schema-34>"
                  },
                  "message": {
                    "type": "string",
                    "description": "Human-readable explanation.",
                    "x-parser-schema-id": "<anonymous-schema-35>"
                  },
                  "details": {
                    "description": "Any JSON value. For INVALID_MESSAGE an object `{path, errors}` whose `path` is the JSON Pointer of the failing value (`/` for the root).",
                    "x-parser-schema-id": "<anonymous-schema-36>"
                  },
                  "retryAfterMs": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Milliseconds to wait before retrying (RATE_LIMITED).",
                    "x-parser-schema-id": "<anonymous-schema-37>"
                  },
                  "closeCode": {
                    "type": "integer",
                    "minimum": 4000,
                    "maximum": 4999,
                    "description": "Present when the server closes the connection right after this message, with this code ([CL-001](protocol.html#CL-001)).",
                    "x-parser-schema-id": "<anonymous-schema-38>"
                  }
                },
                "additionalProperties": true,
                "examples": [
                  {
                    "code": "INVALID_MESSAGE",
                    "message": "must be integer",
                    "details": {
                      "path": "/conversationId",
                      "errors": []
                    }
                  },
                  {
                    "code": "RATE_LIMITED",
                    "message": "Too many messages",
                    "retryAfterMs": 12000
                  }
                ]
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "error",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "id": "req-3",
                "error": {
                  "code": "INVALID_MESSAGE",
                  "message": "must be integer",
                  "details": {
                    "path": "/conversationId",
                    "errors": []
                  }
                }
              },
              {
                "type": "error",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "error": {
                  "code": "BAD_REQUEST",
                  "message": "campaignId must be a positive integer",
                  "closeCode": 4400
                }
              }
            ]
          },
          "examples": [
            {
              "name": "error_1",
              "payload": {
                "type": "error",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "id": "req-3",
                "error": {
                  "code": "INVALID_MESSAGE",
                  "message": "must be integer",
                  "details": {
                    "path": "/conversationId",
                    "errors": []
                  }
                }
              }
            },
            {
              "name": "error_2",
              "payload": {
                "type": "error",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "error": {
                  "code": "BAD_REQUEST",
                  "message": "campaignId must be a positive integer",
                  "closeCode": 4400
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerError"
        },
        "Ack": {
          "name": "ack",
          "title": "Ack",
          "summary": "Positive answer to a client message that carried an `id` ([ACK-001](protocol.html#ACK-001)).",
          "description": "Server control message. Positive answer to a client message that carried an `id` ([ACK-001](protocol.html#ACK-001)).",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/ack.json",
            "title": "Ack",
            "description": "Positive answer to a client message that carried an `id` ([ACK-001](protocol.html#ACK-001)).",
            "type": "object",
            "required": [
              "type",
              "id",
              "ok"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "ack",
                "x-parser-schema-id": "<anonymous-schema-39>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "id": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/request-id.json",
                "title": "RequestId",
                "description": "Client-chosen id of a request. A message with an id gets exactly one `ack` or `error` carrying it ([ACK-001](protocol.html#ACK-001)); a `ping` with an id is answered by a `pong` carrying it instead.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "maxLength": 128,
                "examples": [
                  "req-1",
                  7
                ]
              },
              "ok": {
                "type": "boolean",
                "const": true,
                "x-parser-schema-id": "<anonymous-schema-40>"
              },
              "data": {
                "description": "Request-specific result.",
                "x-parser-schema-id": "<anonymous-schema-41>"
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "ack",
                "id": "req-1",
                "ok": true,
                "timestamp": "2026-01-15T10:30:00.000Z",
                "data": {
                  "messageId": "m-101"
                }
              }
            ]
          },
          "examples": [
            {
              "name": "ack",
              "payload": {
                "type": "ack",
                "id": "req-1",
                "ok": true,
                "timestamp": "2026-01-15T10:30:00.000Z",
                "data": {
                  "messageId": "m-101"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "Ack"
        },
        "ServerPing": {
          "name": "ping",
          "title": "ServerPing",
          "summary": "Application ping from the server on chat and market endpoints ([HB-006](protocol.html#HB-006)).",
          "description": "Server control message. Application ping from the server on chat and market endpoints ([HB-006](protocol.html#HB-006)). Clients may answer with `pong`; they are never closed for not answering ([HB-007](protocol.html#HB-007)).",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/ping.json",
            "title": "ServerPing",
            "description": "Application ping from the server on chat and market endpoints ([HB-006](protocol.html#HB-006)). Clients may answer with `pong`; they are never closed for not answering ([HB-007](protocol.html#HB-007)).",
            "type": "object",
            "required": [
              "type"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "ping",
                "x-parser-schema-id": "<anonymous-schema-42>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "ping",
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            ]
          },
          "examples": [
            {
              "name": "ping",
              "payload": {
                "type": "ping",
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            }
          ],
          "x-parser-unique-object-id": "ServerPing"
        },
        "ServerPong": {
          "name": "pong",
          "title": "ServerPong",
          "summary": "Answer to a client `ping`, within 1 s ([HB-003](protocol.html#HB-003)); echoes the ping `id` if it had one.",
          "description": "Server control message. Answer to a client `ping`, within 1 s ([HB-003](protocol.html#HB-003)); echoes the ping `id` if it had one.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/pong.json",
            "title": "ServerPong",
            "description": "Answer to a client `ping`, within 1 s ([HB-003](protocol.html#HB-003)); echoes the ping `id` if it had one.",
            "type": "object",
            "required": [
              "type"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "pong",
                "x-parser-schema-id": "<anonymous-schema-43>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "id": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/request-id.json",
                "title": "RequestId",
                "description": "Client-chosen id of a request. A message with an id gets exactly one `ack` or `error` carrying it ([ACK-001](protocol.html#ACK-001)); a `ping` with an id is answered by a `pong` carrying it instead.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "maxLength": 128,
                "examples": [
                  "req-1",
                  7
                ]
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "pong",
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            ]
          },
          "examples": [
            {
              "name": "pong",
              "payload": {
                "type": "pong",
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            }
          ],
          "x-parser-unique-object-id": "ServerPong"
        },
        "Resumed": {
          "name": "resumed",
          "title": "Resumed",
          "summary": "Ends the replay of a successful resume ([RES-001](protocol.html#RES-001)): `replayed` messages were sent, the last with seq `lastSeq`.",
          "description": "Server control message. Ends the replay of a successful resume ([RES-001](protocol.html#RES-001)): `replayed` messages were sent, the last with seq `lastSeq`.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/resumed.json",
            "title": "Resumed",
            "description": "Ends the replay of a successful resume ([RES-001](protocol.html#RES-001)): `replayed` messages were sent, the last with seq `lastSeq`.",
            "type": "object",
            "required": [
              "type",
              "sessionId",
              "replayed"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "resumed",
                "x-parser-schema-id": "<anonymous-schema-44>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "sessionId": {
                "type": "string",
                "minLength": 1,
                "x-parser-schema-id": "<anonymous-schema-45>"
              },
              "replayed": {
                "type": "integer",
                "minimum": 0,
                "x-parser-schema-id": "<anonymous-schema-46>"
              },
              "lastSeq": {
                "type": "integer",
                "minimum": 0,
                "x-parser-schema-id": "<anonymous-schema-47>"
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "resumed",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "sessionId": "s_4f9c2a7d1e",
                "replayed": 3,
                "lastSeq": 45
              }
            ]
          },
          "examples": [
            {
              "name": "resumed",
              "payload": {
                "type": "resumed",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "sessionId": "s_4f9c2a7d1e",
                "replayed": 3,
                "lastSeq": 45
              }
            }
          ],
          "x-parser-unique-object-id": "Resumed"
        },
        "ResumeFailed": {
          "name": "resume_failed",
          "title": "ResumeFailed",
          "summary": "The requested session could not be resumed; the connection continues as the fresh session `sessionId` ([RES-002](protocol.html#RES-002)).",
          "description": "Server control message. The requested session could not be resumed; the connection continues as the fresh session `sessionId` ([RES-002](protocol.html#RES-002)).",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/resume_failed.json",
            "title": "ResumeFailed",
            "description": "The requested session could not be resumed; the connection continues as the fresh session `sessionId` ([RES-002](protocol.html#RES-002)).",
            "type": "object",
            "required": [
              "type",
              "reason"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "resume_failed",
                "x-parser-schema-id": "<anonymous-schema-48>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "reason": {
                "type": "string",
                "enum": [
                  "unknown_session",
                  "window_expired",
                  "user_mismatch",
                  "seq_ahead",
                  "seq_unavailable",
                  "invalid_request"
                ],
                "x-parser-schema-id": "<anonymous-schema-49>"
              },
              "sessionId": {
                "type": "string",
                "minLength": 1,
                "description": "Id of the new session.",
                "x-parser-schema-id": "<anonymous-schema-50>"
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "resume_failed",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "reason": "window_expired",
                "sessionId": "s_91b0c3e2aa"
              }
            ]
          },
          "examples": [
            {
              "name": "resume_failed",
              "payload": {
                "type": "resume_failed",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "reason": "window_expired",
                "sessionId": "s_91b0c3e2aa"
              }
            }
          ],
          "x-parser-unique-object-id": "ResumeFailed"
        },
        "SystemStatus": {
          "name": "system_status",
          "title": "SystemStatus",
          "summary": "State of the market data service (original shape: the sections sit at the top level, not under `data`); sent on connect and every 5 s.",
          "description": "Server data message. State of the market data service (original shape: the sections sit at the top level, not under `data`); sent on connect and every 5 s. A data message: carries `seq` and is replayed on resume.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../server/system_status.json",
            "title": "SystemStatus",
            "description": "State of the market data service (original shape: the sections sit at the top level, not under `data`); sent on connect and every 5 s. A data message: carries `seq` and is replayed on resume.",
            "type": "object",
            "required": [
              "type"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "system_status",
                "x-parser-schema-id": "<anonymous-schema-51>"
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              },
              "seq": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/seq.json",
                "title": "Seq",
                "description": "Sequence number of a server data message: starts at 1 and grows by exactly 1 per session ([ENV-004](protocol.html#ENV-004)); the resume cursor.",
                "type": "integer",
                "minimum": 1,
                "examples": [
                  1,
                  42
                ]
              },
              "ai_models": {
                "type": "object",
                "properties": {
                  "total": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-53>"
                  },
                  "available": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-54>"
                  },
                  "failed": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-55>"
                  },
                  "loading": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-56>"
                  },
                  "models": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "required": [
                        "id"
                      ],
                      "properties": {
                        "id": {
                          "type": "string",
                          "x-parser-schema-id": "<anonymous-schema-59>"
                        },
                        "status": {
                          "type": "string",
                          "x-parser-schema-id": "<anonymous-schema-60>"
                        },
                        "success_rate": {
                          "type": "number",
                          "x-parser-schema-id": "<anonymous-schema-61>"
                        }
                      },
                      "additionalProperties": true,
                      "x-parser-schema-id": "<anonymous-schema-58>"
                    },
                    "x-parser-schema-id": "<anonymous-schema-57>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-52>"
              },
              "data_sources": {
                "type": "object",
                "properties": {
                  "total": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-63>"
                  },
                  "active": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-64>"
                  },
                  "inactive": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-65>"
                  },
                  "categories": {
                    "type": "object",
                    "additionalProperties": {
                      "type": "object",
                      "properties": {
                        "total": {
                          "type": "integer",
                          "minimum": 0,
                          "x-parser-schema-id": "<anonymous-schema-68>"
                        },
                        "active": {
                          "type": "integer",
                          "minimum": 0,
                          "x-parser-schema-id": "<anonymous-schema-69>"
                        }
                      },
                      "additionalProperties": true,
                      "x-parser-schema-id": "<anonymous-schema-67>"
                    },
                    "x-parser-schema-id": "<anonymous-schema-66>"
                  },
                  "pools": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-70>"
                  },
                  "sources": {
                    "type": "array",
                    "x-parser-schema-id": "<anonymous-schema-71>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-62>"
              },
              "database": {
                "type": "object",
                "properties": {
                  "online": {
                    "type": "boolean",
                    "x-parser-schema-id": "<anonymous-schema-73>"
                  },
                  "last_check": {
                    "$schema": "http://json-schema.org/draft-07/schema#",
                    "$id": "../common/timestamp.json",
                    "title": "Timestamp",
                    "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                    "type": "string",
                    "format": "date-time",
                    "examples": [
                      "2026-01-15T10:30:00.000Z",
                      "2024-01-01T10:15:00Z"
                    ]
                  },
                  "ai_models_db": {
                    "type": "boolean",
                    "x-parser-schema-id": "<anonymous-schema-74>"
                  },
                  "main_db": {
                    "type": "boolean",
                    "x-parser-schema-id": "<anonymous-schema-75>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-72>"
              },
              "stats": {
                "type": "object",
                "properties": {
                  "total_sources": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-77>"
                  },
                  "active_sources": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-78>"
                  },
                  "total_models": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-79>"
                  },
                  "available_models": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-80>"
                  },
                  "requests_last_minute": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-81>"
                  },
                  "requests_last_hour": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-82>"
                  }
                },
                "additionalProperties": true,
                "x-parser-schema-id": "<anonymous-schema-76>"
              },
              "agent_running": {
                "type": "boolean",
                "x-parser-schema-id": "<anonymous-schema-83>"
              }
            },
            "additionalProperties": true,
            "examples": [
              {
                "type": "system_status",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 1,
                "ai_models": {
                  "total": 2,
                  "available": 2,
                  "failed": 0,
                  "loading": 0,
                  "models": [
                    {
                      "id": "cryptobert",
                      "status": "available",
                      "success_rate": 98.5
                    }
                  ]
                },
                "data_sources": {
                  "total": 2,
                  "active": 2,
                  "inactive": 0,
                  "categories": {
                    "market_data": {
                      "total": 1,
                      "active": 1
                    },
                    "news": {
                      "total": 1,
                      "active": 1
                    }
                  },
                  "pools": 1,
                  "sources": [
                    {
                      "id": "binance",
                      "category": "market_data",
                      "active": true
                    }
                  ]
                },
                "database": {
                  "online": true,
                  "last_check": "2026-01-15T10:30:00.000Z",
                  "ai_models_db": true,
                  "main_db": true
                },
                "stats": {
                  "total_sources": 2,
                  "active_sources": 2,
                  "total_models": 2,
                  "available_models": 2,
                  "requests_last_minute": 50,
                  "requests_last_hour": 2500
                },
                "agent_running": true
              }
            ]
          },
          "examples": [
            {
              "name": "system_status",
              "payload": {
                "type": "system_status",
                "timestamp": "2026-01-15T10:30:00.000Z",
                "seq": 1,
                "ai_models": {
                  "total": 2,
                  "available": 2,
                  "failed": 0,
                  "loading": 0,
                  "models": [
                    {
                      "id": "cryptobert",
                      "status": "available",
                      "success_rate": 98.5
                    }
                  ]
                },
                "data_sources": {
                  "total": 2,
                  "active": 2,
                  "inactive": 0,
                  "categories": {
                    "market_data": {
                      "total": 1,
                      "active": 1
                    },
                    "news": {
                      "total": 1,
                      "active": 1
                    }
                  },
                  "pools": 1,
                  "sources": [
                    {
                      "id": "binance",
                      "category": "market_data",
                      "active": true
                    }
                  ]
                },
                "database": {
                  "online": true,
                  "last_check": "2026-01-15T10:30:00.000Z",
                  "ai_models_db": true,
                  "main_db": true
                },
                "stats": {
                  "total_sources": 2,
                  "active_sources": 2,
                  "total_models": 2,
                  "available_models": 2,
                  "requests_last_minute": 50,
                  "requests_last_hour": 2500
                },
                "agent_running": true
              }
            }
          ],
          "x-parser-unique-object-id": "SystemStatus"
        },
        "ClientPing": {
          "name": "ping",
          "title": "ClientPing",
          "summary": "Application ping from the client; the server answers `pong` within 1 s ([HB-003](protocol.html#HB-003)).",
          "description": "Client message. Application ping from the client; the server answers `pong` within 1 s ([HB-003](protocol.html#HB-003)). On the campaign endpoint the bare text frame `ping` is used as well.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../client/ping.json",
            "title": "ClientPing",
            "description": "Application ping from the client; the server answers `pong` within 1 s ([HB-003](protocol.html#HB-003)). On the campaign endpoint the bare text frame `ping` is used as well.",
            "type": "object",
            "required": [
              "type"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "ping",
                "x-parser-schema-id": "<anonymous-schema-84>"
              },
              "id": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/request-id.json",
                "title": "RequestId",
                "description": "Client-chosen id of a request. A message with an id gets exactly one `ack` or `error` carrying it ([ACK-001](protocol.html#ACK-001)); a `ping` with an id is answered by a `pong` carrying it instead.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "maxLength": 128,
                "examples": [
                  "req-1",
                  7
                ]
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              }
            },
            "additionalProperties": false,
            "examples": [
              {
                "type": "ping"
              },
              {
                "type": "ping",
                "id": "p-1",
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            ]
          },
          "examples": [
            {
              "name": "ping_1",
              "payload": {
                "type": "ping"
              }
            },
            {
              "name": "ping_2",
              "payload": {
                "type": "ping",
                "id": "p-1",
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            }
          ],
          "x-parser-unique-object-id": "ClientPing"
        },
        "ClientPong": {
          "name": "pong",
          "title": "ClientPong",
          "summary": "Optional answer to a server `ping`.",
          "description": "Client message. Optional answer to a server `ping`.",
          "contentType": "application/json",
          "payload": {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$id": "../client/pong.json",
            "title": "ClientPong",
            "description": "Optional answer to a server `ping`.",
            "type": "object",
            "required": [
              "type"
            ],
            "properties": {
              "type": {
                "type": "string",
                "const": "pong",
                "x-parser-schema-id": "<anonymous-schema-85>"
              },
              "id": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/request-id.json",
                "title": "RequestId",
                "description": "Client-chosen id of a request. A message with an id gets exactly one `ack` or `error` carrying it ([ACK-001](protocol.html#ACK-001)); a `ping` with an id is answered by a `pong` carrying it instead.",
                "type": [
                  "string",
                  "integer"
                ],
                "minLength": 1,
                "maxLength": 128,
                "examples": [
                  "req-1",
                  7
                ]
              },
              "timestamp": {
                "$schema": "http://json-schema.org/draft-07/schema#",
                "$id": "../common/timestamp.json",
                "title": "Timestamp",
                "description": "An RFC 3339 date-time. Servers send UTC with a `Z` suffix (`new Date().toISOString()`).",
                "type": "string",
                "format": "date-time",
                "examples": [
                  "2026-01-15T10:30:00.000Z",
                  "2024-01-01T10:15:00Z"
                ]
              }
            },
            "additionalProperties": false,
            "examples": [
              {
                "type": "pong",
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            ]
          },
          "examples": [
            {
              "name": "pong",
              "payload": {
                "type": "pong",
                "timestamp": "2026-01-15T10:30:00.000Z"
              }
            }
          ],
          "x-parser-unique-object-id": "ClientPong"
        }
      },
      "tags": [
        {
          "name": "market",
          "description": "Market data: system status, prices, news, sentiment and model status (source 004)."
        }
      ],
      "bindings": {
        "ws": {
          "method": "GET",
          "query": {
            "type": "object",
            "properties": {
              "token": {
                "type": "string",
                "minLength": 1,
                "description": "JWT (weaker than the Authorization header: URLs are logged)."
              },
              "resume": {
                "type": "string",
                "minLength": 1,
                "description": "sessionId of the session to resume."
              },
              "lastSeq": {
                "type": "string",
                "pattern": "^(0|[1-9][0-9]*)$",
                "description": "Last seq the client received (a non-negative integer); required with resume."
              }
            },
            "additionalProperties": true
          },
          "headers": {
            "type": "object",
            "properties": {
              "Authorization": {
                "type": "string",
                "pattern": "^Bearer .+$",
                "description": "Preferred place for the token ([AUTH-004](protocol.html#AUTH-004))."
              },
              "Sec-WebSocket-Protocol": {
                "type": "string",
                "description": "Offered subprotocols: `tidewire.v1`, plus optionally one `bearer.<base64url token>` entry, which is never selected ([AUTH-005](protocol.html#AUTH-005))."
              },
              "Origin": {
                "type": "string",
                "description": "Checked against the allow-list before the upgrade ([SEC-001](protocol.html#SEC-001))."
              }
            }
          },
          "bindingVersion": "0.1.0"
        }
      },
      "x-parser-unique-object-id": "monitoring"
    }
  },
  "operations": {
    "monitoring.receive": {
      "action": "receive",
      "channel": "$ref:$.channels.monitoring",
      "title": "Receive from /api/monitoring/ws",
      "summary": "Messages the server sends on /api/monitoring/ws.",
      "tags": [
        {
          "name": "market",
          "description": "Market data: system status, prices, news, sentiment and model status (source 004)."
        }
      ],
      "messages": [
        "$ref:$.channels.monitoring.messages.ConnectionEstablished",
        "$ref:$.channels.monitoring.messages.AuthenticationError",
        "$ref:$.channels.monitoring.messages.ServerError",
        "$ref:$.channels.monitoring.messages.Ack",
        "$ref:$.channels.monitoring.messages.ServerPing",
        "$ref:$.channels.monitoring.messages.ServerPong",
        "$ref:$.channels.monitoring.messages.Resumed",
        "$ref:$.channels.monitoring.messages.ResumeFailed",
        "$ref:$.channels.monitoring.messages.SystemStatus"
      ],
      "x-parser-unique-object-id": "monitoring.receive"
    },
    "monitoring.send.ping": {
      "action": "send",
      "channel": "$ref:$.channels.monitoring",
      "title": "Send ping to /api/monitoring/ws",
      "summary": "Application ping from the client; the server answers `pong` within 1 s ([HB-003](protocol.html#HB-003)).",
      "tags": [
        {
          "name": "market",
          "description": "Market data: system status, prices, news, sentiment and model status (source 004)."
        }
      ],
      "messages": [
        "$ref:$.channels.monitoring.messages.ClientPing"
      ],
      "reply": {
        "channel": "$ref:$.channels.monitoring",
        "messages": [
          "$ref:$.channels.monitoring.messages.ServerPong"
        ]
      },
      "x-parser-unique-object-id": "monitoring.send.ping"
    },
    "monitoring.send.pong": {
      "action": "send",
      "channel": "$ref:$.channels.monitoring",
      "title": "Send pong to /api/monitoring/ws",
      "summary": "Optional answer to a server `ping`.",
      "tags": [
        {
          "name": "market",
          "description": "Market data: system status, prices, news, sentiment and model status (source 004)."
        }
      ],
      "messages": [
        "$ref:$.channels.monitoring.messages.ClientPong"
      ],
      "x-parser-unique-object-id": "monitoring.send.pong"
    }
  },
  "x-parser-spec-parsed": true,
  "x-parser-api-version": 3,
  "x-parser-spec-stringified": true
};
    const config = {"show":{"sidebar":true},"sidebar":{"showOperations":"byDefault"}};
    const appRoot = document.getElementById('root');
    AsyncApiStandalone.render(
        { schema, config, }, appRoot
    );
  