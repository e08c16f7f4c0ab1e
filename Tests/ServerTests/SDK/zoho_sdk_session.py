"""One session of a Zoho official Python SDK against `crm-replica serve`.

SDK=8: zohocrmsdk8-0 (package zohocrmsdk, /crm/v8/); SDK=2: zohocrmsdk2-0 (package zcrmsdk,
/crm/v2/). Unchanged SDK code, given only a local base URL: upsert with
duplicate_check_fields Email, create, search by email (a hit and a miss), list deleted
records, and add a contact to a campaign through related records. Prints what the SDK parsed,
as one JSON object, for the Swift test (ServeSDKTests) to check. Settings come from the
environment: SDK, BASE_URL, TOKEN, RESOURCE_DIR, DUPLICATE_EMAIL, UPDATE_EMAIL, CAMPAIGN_ID,
AUTO_REFRESH.
The two SDKs differ only in how they start and in the module argument of their calls.
"""
import importlib
import json
import os
import sys

V8 = os.environ.get("SDK", "8") == "8"
PACKAGE = "zohocrmsdk" if V8 else "zcrmsdk"


def sdk(module):
    return importlib.import_module(PACKAGE + ".src.com.zoho." + module)


OAuthToken = sdk("api.authenticator.oauth_token").OAuthToken
TokenStore = sdk("api.authenticator.store.token_store").TokenStore
Logger = sdk("api.logger").Logger
DataCenter = sdk("crm.api.dc.data_center").DataCenter
Initializer = sdk("crm.api.initializer").Initializer
ParameterMap = sdk("crm.api.parameter_map").ParameterMap
SDKConfig = sdk("crm.api.sdk_config").SDKConfig
records = sdk("crm.api.record")
related_records = sdk("crm.api.related_records")


class MemoryStore(TokenStore):
    """Keeps the token in memory, so the SDK writes no sdk_tokens.txt. Both SDKs' abstract
    methods are here (SDK 8: find_token…, SDK 2: get_token…); neither asks for a token it was given."""

    def __init__(self):
        self.tokens = []

    def find_token(self, token):
        return None

    def get_token(self, user, token):
        return None

    def save_token(self, *args):
        self.tokens.append(args[-1])

    def delete_token(self, token):
        pass

    def get_tokens(self):
        return self.tokens

    def delete_tokens(self):
        self.tokens = []

    def find_token_by_id(self, id):
        return None

    def get_token_by_id(self, id, token):
        return None


def value(field):
    """A Choice's value, or the plain value."""
    return field.get_value() if hasattr(field, "get_value") else field


def item(entry):
    """What the SDK parsed of one response item."""
    if not hasattr(entry, "get_code"):
        return {"class": type(entry).__name__}
    details = entry.get_details() or {}
    parsed = {"class": type(entry).__module__.split(".")[-2] + "." + type(entry).__name__,
              "code": value(entry.get_code()), "status": value(entry.get_status()), "message": value(entry.get_message()),
              "id": str(details.get("id")) if details.get("id") is not None else None}
    if hasattr(entry, "get_action") and entry.get_action() is not None:
        parsed["action"] = value(entry.get_action())
    # SDK 8 parses the duplicate record into its DuplicateRecord class; SDK 2 keeps a dict.
    duplicate = details.get("duplicate_record")
    if hasattr(duplicate, "get_id"):
        parsed["duplicate_record_id"] = str(duplicate.get_id())
    elif isinstance(duplicate, dict):
        parsed["duplicate_record_id"] = str(duplicate.get("id"))
    return parsed


def items(response):
    if response is None:
        return {"error": "the SDK returned None (see the SDK log)"}
    body = response.get_object()
    # Record calls parse into record.ActionWrapper, related-records calls into their own.
    if body is not None and type(body).__name__ == "ActionWrapper":
        return {"status": response.get_status_code(), "items": [item(entry) for entry in body.get_data()]}
    return {"status": response.get_status_code(), "object": type(body).__name__, "body": item(body) if body is not None else None}


def start():
    base = os.environ["BASE_URL"].rstrip("/")
    logger = Logger.get_instance(level=Logger.Levels.INFO, file_path=os.path.join(os.environ["RESOURCE_DIR"], "sdk.log"))
    # AUTO_REFRESH=1: the SDK first asks settings/modules, then the fields of every module it lists.
    config = SDKConfig(auto_refresh_fields=os.environ.get("AUTO_REFRESH") == "1", pick_list_validation=False)
    if V8:
        environment = DataCenter.Environment(base, base + "/oauth/v2/token", base)
        Initializer.initialize(environment=environment, token=OAuthToken(access_token=os.environ["TOKEN"], find_user=False),
                               store=MemoryStore(), sdk_config=config, resource_path=os.environ["RESOURCE_DIR"], logger=logger)
    else:
        UserSignature = sdk("crm.api.user_signature").UserSignature
        environment = DataCenter.Environment(base, base + "/oauth/v2/token", base, "crm_replica")
        Initializer.initialize(user=UserSignature("sdk@example.com"), environment=environment,
                               token=OAuthToken(access_token=os.environ["TOKEN"]), store=MemoryStore(), sdk_config=config,
                               resource_path=os.environ["RESOURCE_DIR"], logger=logger)


def contacts(call, *arguments):
    """A RecordOperations call on Contacts: SDK 8 takes the module in the constructor, SDK 2 in each call."""
    if V8:
        return getattr(records.RecordOperations("Contacts"), call)(*arguments)
    return getattr(records.RecordOperations(), call)("Contacts", *arguments)


def record(**fields):
    entry = records.Record()
    for key, field_value in fields.items():
        entry.add_key_value(key, field_value)
    return entry


def search(email):
    params = ParameterMap()
    params.add(records.SearchRecordsParam.email, email)
    response = contacts("search_records", params)
    if response is None:
        return {"error": "the SDK returned None (see the SDK log)"}
    found = response.get_object()
    if found is None:
        return {"status": response.get_status_code(), "records": None}
    if isinstance(found, records.ResponseWrapper):
        return {"status": response.get_status_code(), "records": [str(entry.get_id()) for entry in found.get_data()]}
    return {"status": response.get_status_code(), "object": type(found).__name__, "body": item(found)}


def main():
    start()
    result = {}
    body = records.BodyWrapper()
    body.set_data([record(Last_Name="Dup", Email=os.environ["DUPLICATE_EMAIL"]),
                   record(Last_Name="Park", Email=os.environ["UPDATE_EMAIL"]),
                   record(Last_Name="Lovelace", First_Name="Ada", Email="ada.sdk@example.com")])
    body.set_duplicate_check_fields(["Email"])
    result["upsert"] = items(contacts("upsert_records", body))

    body = records.BodyWrapper()
    body.set_data([record(Last_Name="Created", Email="created.sdk@example.com")])
    result["create"] = items(contacts("create_records", body))

    result["search_hit"] = search("ada.sdk@example.com")
    result["search_miss"] = search("nobody.sdk@example.com")

    params = ParameterMap()
    params.add(records.GetDeletedRecordsParam.type, "all")
    response = contacts("get_deleted_records", params)
    deleted = response.get_object() if response is not None else None
    listed = deleted.get_data() if isinstance(deleted, records.DeletedRecordsWrapper) else None
    result["deleted"] = {"status": response.get_status_code() if response else None,
                         "ids": [str(entry.get_id()) for entry in listed] if listed is not None else None,
                         "types": [value(entry.get_type()) for entry in listed] if listed is not None else None}

    added = result["create"].get("items", [{}])[0].get("id")
    member = record(Member_Status="Invited")
    member.set_id(int(added))
    related = related_records.BodyWrapper()
    related.set_data([member])
    operations = related_records.RelatedRecordsOperations("Contacts", "Campaigns")
    result["campaign"] = items(operations.update_related_records(int(os.environ["CAMPAIGN_ID"]), related))

    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
