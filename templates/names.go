package templates

// Template names the daemon relies on. Every one ships in en and zh;
// see the package documentation for what each receives.
const (
	NameAckProduct     = "ack.product"
	NameAckLogistics   = "ack.logistics"
	NameAckOther       = "ack.other"
	NameReply          = "reply"
	NameResolved       = "resolved"
	NameVerify         = "verify"
	NameNotice         = "notice"
	NameSLAWarning     = "agent.sla_warning"
	NameSLABreach      = "agent.sla_breach"
	nameAckRightsStart = "ack.rights."
)

// RightsTypes are the privacy-rights request types with an acknowledgement
// template each ("ack.rights." + type).
func RightsTypes() []string {
	return []string{"access", "correction", "deletion", "consent_withdrawal", "complaint"}
}

// AckName returns the acknowledgement template for a classified ticket:
// "ack.product", "ack.logistics", "ack.rights.deletion", ... Unknown
// categories, and rights requests of an unknown type, get "ack.other".
func AckName(category, rightsType string) string {
	switch category {
	case "product":
		return NameAckProduct
	case "logistics":
		return NameAckLogistics
	case "rights":
		for _, t := range RightsTypes() {
			if t == rightsType {
				return nameAckRightsStart + t
			}
		}
	}
	return NameAckOther
}

// ContractNames lists every template name the shipped set provides and
// the daemon may ask for. An override directory may add more, never fewer.
func ContractNames() []string {
	names := []string{NameAckProduct, NameAckLogistics, NameAckOther}
	for _, t := range RightsTypes() {
		names = append(names, nameAckRightsStart+t)
	}
	return append(names, NameReply, NameResolved, NameVerify, NameNotice, NameSLAWarning, NameSLABreach)
}
